/**
 * A read that carries the resource's version (`version` is opaque; the facade sends it as a strong ETag).
 * The caller passes the versions it already has (`ifNoneMatch`, from `If-None-Match`); when the current
 * version is one of them, `value` is null and nothing else travels: the caller answers 304.
 */
export interface ConditionalReadRequest {
  /** Versions the caller holds (at most 16, each at most 100 characters). */
  ifNoneMatch?: string[];
}

export interface ConditionalRead<T> {
  version: string;
  /** Null when `version` is one of `ifNoneMatch` (not modified). */
  value: T | null;
}
