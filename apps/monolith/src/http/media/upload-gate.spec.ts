import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { UploadGate } from './upload-gate.js';

async function through(gate: UploadGate, chunks: Buffer[]) {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), gate, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return Buffer.concat(out);
}

describe('UploadGate', () => {
  it('passes a JPEG through unchanged, in small chunks, and names its type', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } })
      .jpeg()
      .toBuffer();
    const chunks = Array.from({ length: Math.ceil(jpeg.length / 7) }, (_, i) => jpeg.subarray(i * 7, i * 7 + 7));
    const gate = new UploadGate(1024 * 1024);
    expect((await through(gate, chunks)).equals(jpeg)).toBe(true);
    expect(gate.contentType).toBe('image/jpeg');
  });

  it('refuses a GIF with 415 before passing any byte on', async () => {
    const gifBytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'blue' } })
      .gif()
      .toBuffer();
    const gate = new UploadGate(1024 * 1024);
    const seen: Buffer[] = [];
    gate.on('data', (c: Buffer) => seen.push(c));
    await expect(pipeline(Readable.from([gifBytes]), gate)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(seen).toEqual([]);
  });

  it('refuses with 413 as soon as one byte more than the limit has arrived', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'green' } })
      .png()
      .toBuffer();
    const limit = png.length + 10_000;
    expect((await through(new UploadGate(limit), [png, Buffer.alloc(10_000)])).length).toBe(limit);
    await expect(through(new UploadGate(limit), [png, Buffer.alloc(10_001)])).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('refuses an empty upload as no image', async () => {
    await expect(through(new UploadGate(100), [])).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
