import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { BLOB_STORAGE, type BlobStorage } from './blob-storage.js';
import { LocalDiskBlobStorage } from './local-disk.blob-storage.js';

/**
 * The configured adapter (`STORAGE_DRIVER`): a local directory or an S3-compatible bucket. The S3 adapter
 * (the AWS SDK, ~300 modules) is imported only when it is the one configured.
 */
export async function createBlobStorage(config: FicusConfig): Promise<BlobStorage> {
  const { driver, dir, s3 } = config.storage;
  if (driver !== 's3') return new LocalDiskBlobStorage(dir);
  const { S3BlobStorage } = await import('./s3.blob-storage.js');
  return new S3BlobStorage(s3);
}

class BlobStorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(BLOB_STORAGE) private readonly storage: BlobStorage) {}
  async onModuleInit(): Promise<void> {
    // The local directory is created on start, so a fresh checkout needs no setup step.
    if (this.storage instanceof LocalDiskBlobStorage) await this.storage.start();
  }
  onApplicationShutdown(): void {
    if ('close' in this.storage && typeof this.storage.close === 'function') this.storage.close();
  }
}

/**
 * Blob storage for every process: platform-level because bytes are shared by key between the facade
 * (which streams uploads in and variants out) and media (which reads originals and writes variants),
 * whichever process each runs in. Both must be configured with the same storage.
 */
@Global()
@Module({
  providers: [
    { provide: BLOB_STORAGE, inject: [ficusConfig.KEY], useFactory: createBlobStorage },
    BlobStorageLifecycle,
  ],
  exports: [BLOB_STORAGE],
})
export class StorageModule {}
