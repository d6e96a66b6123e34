import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type Readable, Transform } from 'node:stream';
import { assertBlobKey, type BlobStorage, type ListedBlob } from './blob-storage.js';

export interface S3BlobStorageOptions {
  /** Empty for AWS; e.g. `http://127.0.0.1:9000` for MinIO. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** Parts of a streamed upload: S3's minimum part size; with one part in flight an upload holds ≤ 5 MiB. */
const PART_SIZE = 5 * 1024 * 1024;

/**
 * Blobs in an S3-compatible bucket (AWS SDK v3; MinIO and others through `endpoint`). Uploads of unknown
 * length stream as a multipart upload, one 5 MiB part buffered at a time; an upload that fails or whose
 * body errors is aborted, so no object (and no orphaned part) is left.
 */
export class S3BlobStorage implements BlobStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3BlobStorageOptions) {
    const { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle } = options;
    this.client = new S3Client({
      region,
      forcePathStyle,
      ...(endpoint ? { endpoint } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
  }

  get description(): string {
    return `s3:${this.options.bucket}`;
  }

  async put(key: string, body: Readable, contentType: string): Promise<{ size: number }> {
    assertBlobKey(key);
    let size = 0;
    const counted = body.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    // pipe() does not forward errors: a refused upload (size, type) must abort the S3 upload too.
    let bodyError: Error | undefined;
    body.once('error', (error) => {
      bodyError = error;
      counted.destroy(error);
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: key, Body: counted, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: 1,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The body's own error (a refused upload) is the one that matters, not how the abort went.
      throw bodyError ?? error;
    }
    return { size };
  }

  async get(key: string): Promise<Readable | null> {
    assertBlobKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    assertBlobKey(key);
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: answer.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async readHead(key: string, bytes: number): Promise<Buffer | null> {
    assertBlobKey(key);
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
      );
      return Buffer.from(await answer.Body!.transformToByteArray());
    } catch (error) {
      if (isMissing(error)) return null;
      // An empty object has no byte 0: S3 answers 416 to the range (services differ in how they say it).
      if ((await this.stat(key))?.size === 0) return Buffer.alloc(0);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<ListedBlob> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && object.LastModified) yield { key: object.Key, modifiedAt: object.LastModified };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  close(): void {
    this.client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
}
