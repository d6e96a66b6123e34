import sharp from 'sharp';
import { UnreadableImage } from '../../domain/ports.js';
import { SharpImageRenderer } from './sharp-image.renderer.js';

const boxes = { thumb: 200, medium: 800 };
const make = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: 'white' } })
    .png()
    .toBuffer();

describe('SharpImageRenderer', () => {
  it('fits thumb and medium inside their boxes with the aspect ratio kept', async () => {
    const out = await new SharpImageRenderer(50_000_000).render(await make(1000, 2000), 'image/png', boxes);
    expect([out.original, out.thumb, out.medium].map(({ width, height }) => [width, height])).toEqual([
      [1000, 2000],
      [100, 200],
      [400, 800],
    ]);
    expect((await sharp(out.thumb.data).metadata()).format).toBe('png');
  });

  it('refuses an image over the pixel limit as unreadable, before decoding it', async () => {
    const renderer = new SharpImageRenderer(100 * 100);
    await expect(renderer.render(await make(101, 100), 'image/png', boxes)).rejects.toBeInstanceOf(UnreadableImage);
    await expect(renderer.render(await make(100, 100), 'image/png', boxes)).resolves.toBeDefined();
  });

  it('refuses bytes that are no image as unreadable', async () => {
    await expect(
      new SharpImageRenderer(1000).render(Buffer.from('not an image'), 'image/jpeg', boxes),
    ).rejects.toBeInstanceOf(UnreadableImage);
  });
});
