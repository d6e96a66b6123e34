import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

// Real images made in the test with sharp (noise, so that codecs have work to do and a cut-off file is
// really incomplete), plus hand-made bad inputs.

const noisy = (width: number, height: number) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 90, g: 140, b: 200 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });

export const jpeg = (width: number, height: number, quality = 80) => noisy(width, height).jpeg({ quality }).toBuffer();
export const png = (width: number, height: number) => noisy(width, height).png().toBuffer();
export const webp = (width: number, height: number) => noisy(width, height).webp().toBuffer();
export const gif = (width: number, height: number) => noisy(width, height).gif().toBuffer();

/** A JPEG stored sideways with EXIF orientation 6 ("rotate 90° clockwise to view"), and GPS-like metadata. */
export const sidewaysJpeg = (storedWidth: number, storedHeight: number) =>
  noisy(storedWidth, storedHeight)
    .jpeg()
    .withExif({ IFD0: { Copyright: 'ficus-test', Artist: 'someone private' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();

/** A small but real PDF. */
export const pdf = () =>
  Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
      'trailer << /Root 1 0 R >>\n%%EOF\n',
  );

/** A valid JPEG cut in half: its header is fine, its scan data ends early. */
export const truncatedJpeg = async () => {
  const whole = await jpeg(600, 600, 95);
  return whole.subarray(0, Math.floor(whole.length / 2));
};

/**
 * A decompression bomb: a PNG that declares 20,000 × 20,000 pixels (400 megapixels, 1.2 GB once decoded as
 * RGB) in a few dozen KiB, because its 1-bit rows of zeros compress ~1000:1.
 */
export function pngBomb(side = 20_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth 1
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc(side * (1 + Math.ceil(side / 8))); // each row: filter byte 0, then zero bits
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `multipart/form-data` with one part, built by hand so a test controls every byte. */
export function multipart(field: string, filename: string, type: string, data: Buffer) {
  const boundary = `----ficus${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([head, data, tail]) };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * Sends a body with `Transfer-Encoding: chunked` (no Content-Length), in 64 KiB pieces: the server only
 * learns the size while the bytes stream in.
 */
export function postChunked(url: string, path: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: parsed });
        });
      },
    );
    req.on('error', reject);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 64 * 1024);
        offset += piece.length;
        if (!req.write(piece)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

/** Every file under a directory (recursively), as paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}
