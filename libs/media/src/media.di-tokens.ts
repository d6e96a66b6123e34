/** Ports are injected by Symbol so the application layer never names an implementation. */
export const MEDIA_ASSET_REPOSITORY = Symbol('media.MediaAssetRepository');
export const TRANSACTION_RUNNER = Symbol('media.TransactionRunner');
export const IMAGE_RENDERER = Symbol('media.ImageRenderer');
export const VARIANT_JOBS = Symbol('media.VariantJobs');
export const IMAGE_SNIFFER = Symbol('media.ImageSniffer');
