import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { isMediaContentType, MediaLimits, type RegisteredUpload } from '@ficus/contracts';
import { BLOB_STORAGE, type BlobStorage, sniffContentType, SNIFF_HEAD_BYTES, ValidationFailed } from '@ficus/platform';
import { MediaAsset } from '../../domain/media-asset.aggregate.js';
import { UploadNotAnImage, UploadNotFound, UploadTooLarge } from '../../domain/media.errors.js';
import type { MediaAssetRepository, TransactionRunner, VariantJobs } from '../../domain/ports.js';
import { MEDIA_ASSET_REPOSITORY, TRANSACTION_RUNNER, VARIANT_JOBS } from '../../media.di-tokens.js';
import { RegisterUploadCommand } from './register-upload.command.js';

/**
 * Adopts bytes already streamed to storage: checks them again (any process may call this contract, so the
 * facade's checks are not trusted), records the asset PROCESSING and queues its variants job in the same
 * transaction. The job is added before the commit so that no committed asset lacks one; a job that runs
 * before the commit finds no asset yet and is retried.
 */
@CommandHandler(RegisterUploadCommand)
export class RegisterUploadHandler implements ICommandHandler<RegisterUploadCommand> {
  constructor(
    @Inject(MEDIA_ASSET_REPOSITORY) private readonly assets: MediaAssetRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    @Inject(VARIANT_JOBS) private readonly jobs: VariantJobs,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
  ) {}

  async execute({ data, meta }: RegisterUploadCommand): Promise<RegisteredUpload> {
    const ownerId = meta.actor?.userId;
    if (!ownerId) throw new ValidationFailed([{ field: 'meta.actor', message: 'an upload needs a signed-in owner' }]);
    const stat = await this.storage.stat(data.uploadKey);
    if (!stat) throw new UploadNotFound();
    if (stat.size > MediaLimits.maxUploadBytes) throw new UploadTooLarge(MediaLimits.maxUploadBytes);
    const head = await this.storage.readHead(data.uploadKey, SNIFF_HEAD_BYTES);
    const contentType = head ? await sniffContentType(head) : undefined;
    if (!contentType || !isMediaContentType(contentType)) throw new UploadNotAnImage();
    const asset = MediaAsset.register(
      { id: uuidv7(), ownerId, contentType, size: stat.size, uploadKey: data.uploadKey },
      new Date(),
    );
    await this.transactions.run(async (tx) => {
      await this.assets.insert(tx, asset);
      await this.jobs.enqueue(asset.id);
    });
    return { id: asset.id, status: asset.status, contentType, size: stat.size };
  }
}
