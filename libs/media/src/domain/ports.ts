import type { MediaContentType } from '@ficus/contracts';
import type { MediaAsset } from './media-asset.aggregate.js';

/** An open transaction, opaque to the domain; repositories know what it really is. */
export interface Tx {
  readonly __tx: unique symbol;
}

export interface TransactionRunner {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface MediaAssetRepository {
  /** Fails with `UploadAlreadyRegistered` when the upload key is taken. */
  insert(tx: Tx, asset: MediaAsset): Promise<void>;
  save(tx: Tx, asset: MediaAsset): Promise<void>;
  findById(id: string): Promise<MediaAsset | null>;
  /** Locks the row for the rest of the transaction. */
  findByIdForUpdate(tx: Tx, id: string): Promise<MediaAsset | null>;
  /** Those of `uploadKeys` that an asset still being processed will read. */
  uploadKeysInProcessing(uploadKeys: string[]): Promise<Set<string>>;
}

/** One rendition an image renderer produced. */
export interface RenderedImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Image work (sharp in production): decode once, emit renditions; throws `UnreadableImage` for bad input. */
export interface ImageRenderer {
  /**
   * The image upright (EXIF orientation applied), without metadata, in its own format: at full size and
   * fitted inside each box (never enlarged).
   */
  render(
    input: Buffer,
    contentType: MediaContentType,
    boxes: { thumb: number; medium: number },
  ): Promise<{ original: RenderedImage; thumb: RenderedImage; medium: RenderedImage }>;
}

/** The image cannot be processed whatever the retries: corrupt, truncated, or over the pixel limit. */
export class UnreadableImage extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableImage';
  }
}

/** Queues the variants job of an asset (idempotent per asset). */
export interface VariantJobs {
  enqueue(assetId: string): Promise<void>;
}

/** The image type of some bytes by their magic numbers, or null when they are none Ficus accepts. */
export type ImageSniffer = (head: Buffer) => Promise<MediaContentType | null>;
