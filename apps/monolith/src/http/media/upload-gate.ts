import { Transform, type TransformCallback } from 'node:stream';
import { isMediaContentType, type MediaContentType } from '@ficus/contracts';
import { HttpProblem, sniffContentType, SNIFF_HEAD_BYTES } from '@ficus/platform';

/** Refused while streaming: the bytes are no JPEG/PNG/WebP. */
export const unsupportedImage = () =>
  new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The file is not a JPEG, PNG or WebP image (judged by its content).');

/** Refused while streaming: the file is over the limit. */
export const uploadTooLarge = (maxBytes: number) =>
  new HttpProblem(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes.`);

/**
 * The checks an upload passes on its way to storage, without ever holding it whole: the first
 * `SNIFF_HEAD_BYTES` are held back until their magic numbers say JPEG, PNG or WebP (nothing reaches
 * storage before that), and the stream errors as soon as more than `maxBytes` have passed.
 */
export class UploadGate extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private total = 0;
  /** Set once the head was sniffed and accepted. */
  contentType?: MediaContentType;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    if (this.total > this.maxBytes) return done(uploadTooLarge(this.maxBytes));
    if (this.contentType) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_HEAD_BYTES) return done();
    this.release(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.contentType) return done();
    this.release(done);
  }

  private release(done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    sniffContentType(head).then(
      (type) => {
        if (!type || !isMediaContentType(type)) return done(unsupportedImage());
        this.contentType = type;
        done(null, head);
      },
      (error: Error) => done(error),
    );
  }
}
