import type { Readable } from 'node:stream';

/**
 * Where large bytes live (media uploads and their variants): never in Postgres, never through a contract
 * (contracts are plain JSON). Any process that needs bytes streams them through this port by key; keys
 * are plain paths such as `media/uploads/<uuid>`.
 */
export interface BlobStorage {
  /**
   * Streams `body` to `key`. The blob appears only once complete: if `body` errors (a size limit, a type
   * check, a client that went away) or the write fails, nothing is left under the key or beside it.
   */
  put(key: string, body: Readable, contentType: string): Promise<{ size: number }>;
  /** The blob's bytes as a stream, or null when there is none. */
  get(key: string): Promise<Readable | null>;
  /** The blob's size, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Up to `bytes` first bytes of the blob (fewer when it is shorter), or null when there is none. */
  readHead(key: string, bytes: number): Promise<Buffer | null>;
  /** Removes the blob; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Every blob whose key starts with `prefix` (a folder such as `media/uploads/`), with when it was last
   * written, in no particular order; for housekeeping, not for request paths. On the local disk this
   * includes the temporary files of writes a crash cut short.
   */
  list(prefix: string): AsyncIterable<ListedBlob>;
  /** A short name for logs and health (`local:/path`, `s3:bucket`). */
  readonly description: string;
}

/** One entry of `BlobStorage.list`. */
export interface ListedBlob {
  key: string;
  modifiedAt: Date;
}

/** Injection token of the process's `BlobStorage`. */
export const BLOB_STORAGE = Symbol.for('ficus.BlobStorage');

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of plain segments: no `..`, no absolute path, nothing a shell or S3 would mangle. */
export function assertBlobKey(key: string): void {
  if (key.length > 512 || !KEY.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new Error(`Invalid blob key "${key.slice(0, 80)}"`);
  }
}

/** Reads a whole stream into memory, refusing more than `maxBytes` (for bounded blobs only). */
export async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new Error(`Blob is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
