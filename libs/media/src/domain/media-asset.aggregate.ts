import type { MediaContentType, MediaStatus, MediaVariantName } from '@ficus/contracts';
import { MediaNotFound } from './media.errors.js';

/** One stored rendition of an asset. */
export interface StoredVariant {
  /** Blob storage key. */
  key: string;
  width: number;
  height: number;
  /** Bytes. */
  size: number;
  /** Strong ETag of the bytes (quoted). */
  etag: string;
}

export type StoredVariants = Record<MediaVariantName, StoredVariant>;

export interface MediaAssetState {
  id: string;
  ownerId: string;
  status: MediaStatus;
  contentType: MediaContentType;
  size: number;
  /** Where the upload was streamed to; removed once the asset is READY or FAILED. */
  uploadKey: string;
  variants: StoredVariants | null;
  /** Why the image could not be processed (for operators; clients see FAILED only). */
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An uploaded image and its renditions. Its life is one way: `PROCESSING` until the variants job either
 * stored every variant (`READY`) or found the image unreadable (`FAILED`); neither is ever left.
 */
export class MediaAsset {
  private constructor(private state: MediaAssetState) {}

  static register(input: Pick<MediaAssetState, 'id' | 'ownerId' | 'contentType' | 'size' | 'uploadKey'>, now: Date) {
    return new MediaAsset({
      ...input,
      status: 'PROCESSING',
      variants: null,
      failureReason: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  static restore(state: MediaAssetState): MediaAsset {
    return new MediaAsset({ ...state });
  }

  get id(): string {
    return this.state.id;
  }

  get status(): MediaStatus {
    return this.state.status;
  }

  get isProcessing(): boolean {
    return this.state.status === 'PROCESSING';
  }

  /** Every variant is stored: the asset is served from now on. False when it was no longer processing. */
  markReady(variants: StoredVariants, now: Date): boolean {
    if (!this.isProcessing) return false;
    this.state = { ...this.state, status: 'READY', variants, updatedAt: now };
    return true;
  }

  /** The image cannot become variants (corrupt, truncated, too many pixels). False when already settled. */
  markFailed(reason: string, now: Date): boolean {
    if (!this.isProcessing) return false;
    this.state = { ...this.state, status: 'FAILED', failureReason: reason.slice(0, 500), updatedAt: now };
    return true;
  }

  /** A READY asset's variant; anything else is not found (a pending asset has no bytes to serve). */
  variant(name: MediaVariantName): StoredVariant {
    const variant = this.state.status === 'READY' ? this.state.variants?.[name] : undefined;
    if (!variant) throw new MediaNotFound('No such media variant (the asset may still be processing).');
    return variant;
  }

  snapshot(): Readonly<MediaAssetState> {
    return { ...this.state };
  }
}
