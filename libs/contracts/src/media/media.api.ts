import type { CallMeta } from '../messaging/call-meta.js';
import type {
  GetAssetRequest,
  GetVariantRequest,
  MediaAssetView,
  MediaVariantLocation,
  RegisterUploadRequest,
  RegisteredUpload,
} from './media.types.js';

/**
 * Media's public API. Bytes never cross it (contracts are plain JSON): the facade streams an upload into
 * the shared blob storage and registers it by key, and streams a variant's bytes from the key media names.
 */
export interface MediaApi {
  /**
   * Adopt an upload streamed to `uploadKey` and queue its variants (`PROCESSING`). Fails with
   * `UPLOAD_NOT_FOUND`, `UPLOAD_ALREADY_REGISTERED`, `UNSUPPORTED_MEDIA_TYPE` or `PAYLOAD_TOO_LARGE`.
   */
  registerUpload(data: RegisterUploadRequest, meta: CallMeta): Promise<RegisteredUpload>;
  /** An asset with its variants once READY. Fails with `MEDIA_NOT_FOUND`. */
  getAsset(data: GetAssetRequest, meta: CallMeta): Promise<MediaAssetView>;
  /** Where a READY asset's variant is stored. Fails with `MEDIA_NOT_FOUND` (unknown, or not READY). */
  getVariant(data: GetVariantRequest, meta: CallMeta): Promise<MediaVariantLocation>;
}

/** Injection token for `MediaApi`. */
export const MEDIA_API = Symbol.for('ficus.MediaApi');
