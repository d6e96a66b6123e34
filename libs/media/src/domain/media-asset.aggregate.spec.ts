import { MediaAsset, type StoredVariants } from './media-asset.aggregate.js';
import { MediaNotFound } from './media.errors.js';

const variant = (name: string) => ({ key: `media/a/${name}.png`, width: 10, height: 5, size: 99, etag: `"${name}"` });
const variants: StoredVariants = { original: variant('original'), thumb: variant('thumb'), medium: variant('medium') };
const registered = () =>
  MediaAsset.register(
    { id: 'a', ownerId: 'u', contentType: 'image/png', size: 1234, uploadKey: 'media/uploads/x' },
    new Date('2026-12-04T08:00:00Z'),
  );

describe('MediaAsset', () => {
  it('starts PROCESSING with no variants', () => {
    expect(registered().snapshot()).toMatchObject({ status: 'PROCESSING', variants: null, failureReason: null });
  });

  it('serves no variant before it is READY', () => {
    expect(() => registered().variant('thumb')).toThrow(MediaNotFound);
  });

  it('turns READY once, and then serves each variant', () => {
    const asset = registered();
    expect(asset.markReady(variants, new Date())).toBe(true);
    expect(asset.variant('medium')).toEqual(variants.medium);
    expect(asset.markReady(variants, new Date())).toBe(false);
    expect(asset.markFailed('late', new Date())).toBe(false);
    expect(asset.status).toBe('READY');
  });

  it('a FAILED asset stays FAILED and serves nothing', () => {
    const asset = registered();
    expect(asset.markFailed('x'.repeat(900), new Date())).toBe(true);
    expect(asset.snapshot().failureReason).toHaveLength(500);
    expect(asset.markReady(variants, new Date())).toBe(false);
    expect(() => asset.variant('original')).toThrow(MediaNotFound);
  });
});
