import type { Sharp } from 'sharp';
import type { MediaContentType } from '@ficus/contracts';
import { type ImageRenderer, type RenderedImage, UnreadableImage } from '../../domain/ports.js';

// sharp (and libvips, ~15 MiB of native code) is loaded by the first render, not at start: only the
// process that runs media jobs needs it. libvips keeps decoded images and operations cached for reuse; a
// service resizing many distinct images gains little from it and would hold the memory.
let loaded: Promise<typeof import('sharp').default> | undefined;
const loadSharp = () =>
  (loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  }));

/**
 * Variants with sharp (libvips). The input is decoded with a pixel limit (decompression bombs fail before
 * any pixel is allocated) and `failOn: 'truncated'`, so a cut-off file fails instead of rendering grey.
 * Output keeps the input's format; sharp writes no metadata unless asked, so EXIF (GPS included) is gone,
 * and `rotate()` without an angle applies the EXIF orientation first.
 */
export class SharpImageRenderer implements ImageRenderer {
  constructor(private readonly maxInputPixels: number) {}

  async render(input: Buffer, contentType: MediaContentType, boxes: { thumb: number; medium: number }) {
    const sharp = await loadSharp();
    try {
      const open = (data: Buffer) =>
        sharp(data, { limitInputPixels: this.maxInputPixels, failOn: 'truncated' }).rotate();
      // One rendition at a time (a job holds one decode, not three), and the thumb from the medium's
      // bytes: shrinking 800 px costs nothing next to decoding the upload again.
      const original = await this.encode(open(input), contentType);
      const medium = await this.encode(open(input).resize(fit(boxes.medium)), contentType);
      const thumb = await this.encode(open(medium.data).resize(fit(boxes.thumb)), contentType);
      return { original, thumb, medium };
    } catch (error) {
      // sharp reports bad input (unsupported, corrupt, truncated, over the pixel limit) as plain Errors;
      // nothing here fails for a passing reason, so every failure is final.
      throw new UnreadableImage(error instanceof Error ? error.message : String(error));
    }
  }

  private async encode(pipeline: Sharp, contentType: MediaContentType): Promise<RenderedImage> {
    const formatted =
      contentType === 'image/png'
        ? pipeline.png({ compressionLevel: 6 })
        : contentType === 'image/webp'
          ? pipeline.webp({ quality: 85 })
          : pipeline.jpeg({ quality: 85, mozjpeg: false });
    const { data, info } = await formatted.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
}

const fit = (box: number) => ({ width: box, height: box, fit: 'inside' as const, withoutEnlargement: true });
