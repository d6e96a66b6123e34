/**
 * Bounds of media, shared by the facade (which streams uploads into storage) and media itself (which checks
 * what it registers again), so both edges refuse the same input.
 */
export const MediaLimits = {
  /** Largest upload accepted, bytes (10 MiB); enforced while the bytes stream in. */
  maxUploadBytes: 10 * 1024 * 1024,
  /** `thumb` fits inside this square, pixels. */
  thumbBox: 200,
  /** `medium` fits inside this square, pixels. */
  mediumBox: 800,
} as const;

/** The image types media accepts, decided by the bytes (magic numbers), never by a name or a header. */
export const MEDIA_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** One accepted image type. */
export type MediaContentType = (typeof MEDIA_CONTENT_TYPES)[number];

export function isMediaContentType(value: string): value is MediaContentType {
  return (MEDIA_CONTENT_TYPES as readonly string[]).includes(value);
}

/** The renditions of every READY asset: the upload itself (re-encoded without metadata) and two sizes. */
export const MEDIA_VARIANTS = ['original', 'thumb', 'medium'] as const;

/** One rendition's name. */
export type MediaVariantName = (typeof MEDIA_VARIANTS)[number];

/**
 * Storage keys of uploads the facade has streamed and media has not registered yet: `media/uploads/<uuid>`.
 * Media registers only keys of this shape, so a caller cannot make it adopt another asset's files.
 */
export const MEDIA_UPLOAD_KEY_PATTERN =
  /^media\/uploads\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The public path of a variant's bytes, as the facade serves them. */
export const mediaVariantPath = (mediaId: string, variant: MediaVariantName) => `/v1/media/${mediaId}/${variant}`;
