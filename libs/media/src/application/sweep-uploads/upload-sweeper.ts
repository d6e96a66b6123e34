import { Inject, Injectable, Logger } from '@nestjs/common';
import { BLOB_STORAGE, type BlobStorage } from '@ficus/platform';
import type { MediaAssetRepository } from '../../domain/ports.js';
import { MEDIA_ASSET_REPOSITORY } from '../../media.di-tokens.js';

/** Where the facade streams raw uploads (`MEDIA_UPLOAD_KEY_PATTERN`); the local disk's temporary files too. */
export const UPLOADS_PREFIX = 'media/uploads/';
/** Keys checked against the database per query. */
const BATCH = 200;

/**
 * Deletes raw uploads that nothing will read again: an upload is needed only while its asset is
 * `PROCESSING`. Left behind are uploads a crash cut off between streaming and registering (no asset),
 * uploads whose asset settled but whose removal failed (`media.upload-not-removed`), and the local disk's
 * half-written temporary files. Only uploads older than `olderThanMs` are considered, so an upload being
 * streamed or registered right now is never touched. Safe to run on several replicas at once: deleting
 * what is already gone is not an error.
 */
@Injectable()
export class UploadSweeper {
  private readonly logger = new Logger('MediaUploads');

  constructor(
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(MEDIA_ASSET_REPOSITORY) private readonly assets: MediaAssetRepository,
  ) {}

  /** Returns how many uploads it deleted. */
  async sweep(olderThanMs: number, now = new Date()): Promise<number> {
    const cutoff = now.getTime() - olderThanMs;
    let deleted = 0;
    let batch: string[] = [];
    const flush = async () => {
      const needed = await this.assets.uploadKeysInProcessing(batch);
      const unneeded = batch.filter((key) => !needed.has(key));
      await Promise.all(unneeded.map((key) => this.storage.delete(key)));
      deleted += unneeded.length;
      batch = [];
    };
    for await (const blob of this.storage.list(UPLOADS_PREFIX)) {
      if (blob.modifiedAt.getTime() >= cutoff) continue;
      batch.push(blob.key);
      if (batch.length === BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    if (deleted > 0) {
      this.logger.log({ event: 'media.uploads-swept', deleted }, `deleted ${deleted} raw uploads nobody needs`);
    }
    return deleted;
  }
}
