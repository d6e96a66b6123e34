export * from './blob-storage.js';
export * from './local-disk.blob-storage.js';
export * from './s3.blob-storage.js';
export * from './storage.module.js';
export * from './sniff-content-type.js';
