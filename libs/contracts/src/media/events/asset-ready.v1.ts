import { defineEvent } from '../../messaging/integration-event.js';
import type { MediaContentType, MediaVariantName } from '../media.limits.js';
import type { MediaVariantView } from '../media.types.js';

/** Payload of `media.asset-ready.v1`: every variant of an upload exists and is served. */
export interface MediaAssetReadyV1 {
  mediaId: string;
  /** The user who uploaded it. */
  ownerId: string;
  contentType: MediaContentType;
  /** Public path and size of each variant. */
  variants: Record<MediaVariantName, MediaVariantView>;
}

/** Published once per asset when it turns READY (failed assets publish nothing). */
export const MediaAssetReadyV1 = defineEvent<MediaAssetReadyV1>('media', 'media.asset-ready.v1');
