import { createHash } from 'node:crypto';

/**
 * JSON text with object keys sorted (by UTF-16 code unit, as RFC 8785 does) at every depth, so two bodies
 * that are equal as JSON give the same text whatever their key order or whitespace. Array order counts;
 * `undefined` members are left out, as JSON.stringify does. Only JSON values reach this (parsed bodies).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/** What makes two requests to the same route "the same request" for an Idempotency-Key. */
export interface FingerprintedRequest {
  /** Path parameters: the same key on `/orders/a/cancel` and `/orders/b/cancel` is not the same request. */
  params: unknown;
  query: unknown;
  body: unknown;
}

/** SHA-256 (hex) of the request's canonical JSON: equal as JSON ⇔ equal fingerprints (not as bytes). */
export function requestFingerprint(request: FingerprintedRequest): string {
  const canonical = canonicalJson({
    params: request.params ?? {},
    query: request.query ?? {},
    body: request.body ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
