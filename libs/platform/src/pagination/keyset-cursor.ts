/**
 * The shared wire form of keyset-pagination cursors: base64url of `[version, kind, value, id]` JSON, where
 * `value` is the sort key of the last item of a page and `id` (a UUID) breaks ties. Each context owns what
 * its cursors mean (the kind, how `value` is checked, its error); this only encodes and takes apart, so
 * that every list endpoint refuses garbage the same way. Opaque to clients: they only echo it back.
 */
export interface KeysetPosition {
  kind: string;
  value: unknown;
  id: string;
}

const VERSION = 1;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const KeysetCursor = {
  encode({ kind, value, id }: KeysetPosition): string {
    return Buffer.from(JSON.stringify([VERSION, kind, value, id])).toString('base64url');
  },

  /**
   * The position in `raw`, or `undefined` when it is not a cursor of this version with a UUID id and at
   * most `maxLength` characters. The caller checks `kind` and `value` and throws its own error.
   */
  decode(raw: string, maxLength: number): KeysetPosition | undefined {
    if (raw.length > maxLength || !BASE64URL.test(raw)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [version, kind, value, id] = parsed as unknown[];
    if (version !== VERSION || typeof kind !== 'string' || typeof id !== 'string' || !UUID.test(id)) {
      return undefined;
    }
    return { kind, value, id };
  },
};

/**
 * Whether `value` is an instant as Postgres timestamps with millisecond precision serialise to JSON
 * (`toISOString()`), so that a `created_at` carried in a cursor compares exactly.
 */
export function isExactInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_MILLIS.test(value)) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}
