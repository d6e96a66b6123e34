export * from './blob-storage.js';
export * from './local-disk.blob-storage.js';
// The S3 adapter is not re-exported: importing it loads the AWS SDK (createBlobStorage imports it when configured).
export type { S3BlobStorageOptions } from './s3.blob-storage.js';
export * from './storage.module.js';
export * from './sniff-content-type.js';
