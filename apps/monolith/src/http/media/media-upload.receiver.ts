import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type CallMeta, MEDIA_API, type MediaApi, MediaLimits, type RegisteredUpload } from '@ficus/contracts';
import { BLOB_STORAGE, type BlobStorage, HttpProblem, ValidationFailed } from '@ficus/platform';
import { UploadGate, uploadTooLarge } from './upload-gate.js';

/** Room for a multipart envelope around the file (boundaries, part headers) when judging Content-Length. */
const ENVELOPE_BYTES = 64 * 1024;

const notMultipart = () =>
  new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the image as multipart/form-data, in a field named "file".');

const missingFile = () => new ValidationFailed([{ field: 'file', message: 'a file field named "file" is required' }]);

/**
 * `POST /v1/media`, the facade's half: streams the `file` part through the upload gate (type by magic
 * numbers, size while streaming) into the shared blob storage under a fresh `media/uploads/<uuid>` key,
 * then registers that key with media, which takes it from there. Bytes never cross the contract. A refused
 * or failed upload leaves nothing in storage.
 */
@Injectable()
export class MediaUploadReceiver {
  constructor(
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(MEDIA_API) private readonly media: MediaApi,
  ) {}

  async receive(request: FastifyRequest, meta: CallMeta): Promise<RegisteredUpload> {
    if (!request.isMultipart()) throw notMultipart();
    const max = MediaLimits.maxUploadBytes;
    // A declared length that cannot fit is refused before a byte is read; chunked bodies are judged while
    // they stream.
    if (Number(request.headers['content-length']) > max + ENVELOPE_BYTES) throw uploadTooLarge(max);
    const part = await request.file({ limits: { fileSize: max + 1 } }).catch(() => {
      throw new HttpProblem(400, 'MALFORMED_REQUEST', 'The multipart body could not be read.');
    });
    if (!part || part.fieldname !== 'file') {
      this.discardRest(request);
      throw missingFile();
    }
    const key = `media/uploads/${randomUUID()}`;
    const gate = new UploadGate(max);
    try {
      // pipeline() (not pipe) so a client that goes away mid-file errors the gate, and the storage write.
      await this.storage.put(
        key,
        pipeline(part.file, gate, () => undefined),
        'application/octet-stream',
      );
    } catch (error) {
      this.discardRest(request);
      throw error;
    }
    try {
      return await this.media.registerUpload({ uploadKey: key }, meta);
    } catch (error) {
      await this.storage.delete(key).catch(() => undefined);
      throw error;
    }
  }

  /** Reads and drops what the client is still sending, so it reads the answer instead of a reset. */
  private discardRest(request: FastifyRequest): void {
    request.raw.unpipe();
    request.raw.resume();
  }
}
