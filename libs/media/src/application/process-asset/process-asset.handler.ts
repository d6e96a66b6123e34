import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MEDIA_VARIANTS, MediaLimits } from '@ficus/contracts';
import { BLOB_STORAGE, type BlobStorage, readAll } from '@ficus/platform';
import type { MediaAsset, StoredVariants } from '../../domain/media-asset.aggregate.js';
import {
  type ImageRenderer,
  type MediaAssetRepository,
  type RenderedImage,
  UnreadableImage,
} from '../../domain/ports.js';
import { IMAGE_RENDERER, MEDIA_ASSET_REPOSITORY } from '../../media.di-tokens.js';
import { AssetSettler } from './asset-settler.js';
import { ProcessAssetCommand } from './process-asset.command.js';

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/**
 * The variants job: reads the upload, renders every variant, stores them, then settles the asset READY
 * (publishing `media.asset-ready.v1`). An unreadable image settles FAILED at once; any other failure
 * (storage, database) is thrown so BullMQ retries it, and settles FAILED on the last attempt.
 */
@CommandHandler(ProcessAssetCommand)
export class ProcessAssetHandler implements ICommandHandler<ProcessAssetCommand> {
  private readonly logger = new Logger('MediaVariants');

  constructor(
    @Inject(MEDIA_ASSET_REPOSITORY) private readonly assets: MediaAssetRepository,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(IMAGE_RENDERER) private readonly renderer: ImageRenderer,
    private readonly settler: AssetSettler,
  ) {}

  async execute({ assetId, finalAttempt }: ProcessAssetCommand): Promise<void> {
    const asset = await this.assets.findById(assetId);
    // Queued in the registering transaction: until it commits the asset is not visible (retried).
    if (!asset) {
      if (finalAttempt) this.logger.warn({ event: 'media.job-without-asset', assetId });
      else throw new Error(`Asset ${assetId} is not committed yet`);
      return;
    }
    if (!asset.isProcessing) return;
    try {
      const variants = await this.renderAndStore(asset);
      await this.settler.ready(assetId, variants);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof UnreadableImage) && !finalAttempt) throw error;
      this.logger.warn({ event: 'media.failed', assetId, reason }, `Asset ${assetId} failed: ${reason}`);
      await this.settler.failed(assetId, reason);
    }
  }

  private async renderAndStore(asset: MediaAsset): Promise<StoredVariants> {
    const { id, uploadKey, contentType } = asset.snapshot();
    const stream = await this.storage.get(uploadKey);
    if (!stream) throw new UnreadableImage('the upload is missing from storage');
    const input = await readAll(stream, MediaLimits.maxUploadBytes);
    const rendered = await this.renderer.render(input, contentType, {
      thumb: MediaLimits.thumbBox,
      medium: MediaLimits.mediumBox,
    });
    const variants = {} as StoredVariants;
    for (const name of MEDIA_VARIANTS) {
      const key = `media/${id}/${name}.${EXTENSIONS[contentType]}`;
      variants[name] = await this.store(key, rendered[name], contentType);
    }
    return variants;
  }

  private async store(key: string, image: RenderedImage, contentType: string) {
    await this.storage.put(key, Readable.from([image.data]), contentType);
    const etag = `"${createHash('sha256').update(image.data).digest('base64url')}"`;
    return { key, width: image.width, height: image.height, size: image.data.length, etag };
  }
}
