import { Inject, Injectable, Logger } from '@nestjs/common';
import { MediaAssetReadyV1 } from '@ficus/contracts';
import { BLOB_STORAGE, type BlobStorage, OutboxWriter } from '@ficus/platform';
import type { StoredVariants } from '../../domain/media-asset.aggregate.js';
import type { MediaAssetRepository, TransactionRunner } from '../../domain/ports.js';
import { MediaAssetMapper } from '../../infrastructure/persistence/media-asset.mapper.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { MEDIA_ASSET_REPOSITORY, TRANSACTION_RUNNER } from '../../media.di-tokens.js';

/**
 * Ends an asset's processing once: READY with its variants and the ready event in one transaction, or
 * FAILED. Either way the raw upload (which may carry EXIF, GPS included) is removed afterwards: clients are
 * only ever served the re-encoded variants.
 */
@Injectable()
export class AssetSettler {
  private readonly logger = new Logger('MediaVariants');

  constructor(
    @Inject(MEDIA_ASSET_REPOSITORY) private readonly assets: MediaAssetRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    private readonly outbox: OutboxWriter,
  ) {}

  async ready(assetId: string, variants: StoredVariants): Promise<void> {
    const uploadKey = await this.transactions.run(async (tx) => {
      const asset = await this.assets.findByIdForUpdate(tx, assetId);
      if (!asset?.markReady(variants, new Date())) return null;
      await this.assets.save(tx, asset);
      const s = asset.snapshot();
      await this.outbox.append(
        asManager(tx),
        { correlationId: `media-${assetId}` },
        {
          definition: MediaAssetReadyV1,
          aggregateId: assetId,
          payload: {
            mediaId: assetId,
            ownerId: s.ownerId,
            contentType: s.contentType,
            variants: MediaAssetMapper.toVariantViews(assetId, variants),
          },
        },
      );
      return s.uploadKey;
    });
    if (uploadKey) await this.removeUpload(uploadKey);
  }

  async failed(assetId: string, reason: string): Promise<void> {
    const uploadKey = await this.transactions.run(async (tx) => {
      const asset = await this.assets.findByIdForUpdate(tx, assetId);
      if (!asset?.markFailed(reason, new Date())) return null;
      await this.assets.save(tx, asset);
      return asset.snapshot().uploadKey;
    });
    if (uploadKey) await this.removeUpload(uploadKey);
  }

  private async removeUpload(key: string): Promise<void> {
    // Best effort: the asset is settled either way; a leftover upload costs space, not correctness.
    await this.storage
      .delete(key)
      .catch((error: Error) => this.logger.warn({ event: 'media.upload-not-removed', key, err: error.message }));
  }
}
