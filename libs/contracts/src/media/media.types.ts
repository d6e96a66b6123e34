import type { MediaContentType, MediaVariantName } from './media.limits.js';

/** `PROCESSING` after the upload; `READY` once every variant exists; `FAILED` when the image cannot be read. */
export type MediaStatus = 'PROCESSING' | 'READY' | 'FAILED';

/**
 * Adopt bytes the caller has streamed into the shared blob storage under `uploadKey`
 * (`media/uploads/<uuid>`, see `MEDIA_UPLOAD_KEY_PATTERN`): media checks them again (size, type by magic
 * numbers), records the asset as `PROCESSING` and queues the variants job. The owner is `meta.actor`.
 */
export interface RegisterUploadRequest {
  /** Storage key the upload was written to. */
  uploadKey: string;
}

/** What an upload became (the `202` of `POST /v1/media`). */
export interface RegisteredUpload {
  /** UUIDv7 of the asset. */
  id: string;
  /** Always `PROCESSING` here. */
  status: MediaStatus;
  /** Sniffed from the bytes. */
  contentType: MediaContentType;
  /** Bytes of the upload. */
  size: number;
}

/** One asset by id. */
export interface GetAssetRequest {
  mediaId: string;
}

/** A rendition's public URL and pixel size. */
export interface MediaVariantView {
  /** Path of the bytes, e.g. `/v1/media/<id>/thumb`. */
  url: string;
  width: number;
  height: number;
}

/** An asset as clients see it; each variant is null until `READY`. */
export interface MediaAssetView {
  /** UUIDv7. */
  id: string;
  status: MediaStatus;
  contentType: MediaContentType;
  /** Bytes of the upload. */
  size: number;
  /** Every variant by name: its URL and size once `READY`, null before (and for good when `FAILED`). */
  variants: Record<MediaVariantName, MediaVariantView | null>;
}

/** Where one READY variant's bytes are, so the caller can stream them from the shared storage. */
export interface GetVariantRequest {
  mediaId: string;
  variant: MediaVariantName;
}

/** A READY variant's bytes: storage key and what to answer with them. */
export interface MediaVariantLocation {
  /** Key in the shared blob storage. */
  storageKey: string;
  contentType: MediaContentType;
  /** Bytes. */
  size: number;
  /** Strong ETag (quoted SHA-256 of the bytes, base64url): the bytes of a key never change. */
  etag: string;
}
