/**
 * Media owns uploaded images and their variants. The facade streams an upload into the shared blob
 * storage and registers it by key (bytes never cross a contract); a BullMQ job renders `thumb` and
 * `medium` with sharp and settles the asset READY (publishing `media.asset-ready.v1`) or FAILED; a scheduled
 * sweep deletes raw uploads nothing needs any more. Public
 * surface: this module and the patterns/events in @ficus/contracts.
 */
import { BullModule } from '@nestjs/bullmq';
import { Module, type Provider } from '@nestjs/common';
import { ContextDataModule, type FicusConfig, ficusConfig } from '@ficus/platform';
import { MediaMessageController } from './api/media.message.controller.js';
import { GetAssetHandler } from './application/get-asset/get-asset.handler.js';
import { GetVariantHandler } from './application/get-variant/get-variant.handler.js';
import { AssetSettler } from './application/process-asset/asset-settler.js';
import { MediaVariantsProcessor } from './application/process-asset/media-variants.processor.js';
import { ProcessAssetHandler } from './application/process-asset/process-asset.handler.js';
import { RegisterUploadHandler } from './application/register-upload/register-upload.handler.js';
import { UploadSweeper } from './application/sweep-uploads/upload-sweeper.js';
import { SharpImageRenderer } from './infrastructure/imaging/sharp-image.renderer.js';
import { BullMqVariantJobs, bullConnection, MEDIA_VARIANTS_QUEUE } from './infrastructure/jobs/media-variants.queue.js';
import { UploadSweepSchedule } from './infrastructure/jobs/upload-sweep.schedule.js';
import { MediaAssetOrmEntity } from './infrastructure/persistence/media-asset.orm-entity.js';
import { TypeOrmMediaAssetRepository } from './infrastructure/persistence/media-asset.repository.js';
import { CreateMediaTables1736000000000 } from './infrastructure/persistence/migrations/1736000000000-create-media-tables.js';
import { TypeOrmTransactionRunner } from './infrastructure/persistence/typeorm-transaction.runner.js';
import { IMAGE_RENDERER, MEDIA_ASSET_REPOSITORY, TRANSACTION_RUNNER, VARIANT_JOBS } from './media.di-tokens.js';

const handlers: Provider[] = [RegisterUploadHandler, GetAssetHandler, GetVariantHandler, ProcessAssetHandler];

const adapters: Provider[] = [
  { provide: MEDIA_ASSET_REPOSITORY, useClass: TypeOrmMediaAssetRepository },
  { provide: TRANSACTION_RUNNER, useClass: TypeOrmTransactionRunner },
  { provide: VARIANT_JOBS, useClass: BullMqVariantJobs },
  {
    provide: IMAGE_RENDERER,
    inject: [ficusConfig.KEY],
    useFactory: (config: FicusConfig) => new SharpImageRenderer(config.media.maxInputPixels),
  },
];

const processing: Provider[] = [AssetSettler, MediaVariantsProcessor, UploadSweeper, UploadSweepSchedule];

@Module({
  imports: [
    ContextDataModule.forContext({
      context: 'media',
      entities: [MediaAssetOrmEntity],
      migrations: [CreateMediaTables1736000000000],
    }),
    BullModule.registerQueueAsync({
      name: MEDIA_VARIANTS_QUEUE,
      inject: [ficusConfig.KEY],
      useFactory: (config: FicusConfig) => ({
        connection: bullConnection(config.redis.url),
        // Same prefix as the event queues, so one Redis key prefix isolates a whole deployment (or test).
        prefix: `${config.redis.keyPrefix}:bull`,
      }),
    }),
  ],
  controllers: [MediaMessageController],
  providers: [...handlers, ...adapters, ...processing],
})
export class MediaModule {}
