import { OrderingLimits } from '@ficus/contracts';
import { InvalidCursor } from '../ordering.errors.js';

/** The position after the last order of a page, newest first: its creation time plus its id (tie-breaker). */
export interface OrderCursorKey {
  createdAt: string;
  id: string;
}

const VERSION = 1;
const KIND = 'orders';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Opaque to clients: base64url of `[version, "orders", createdAt, id]` JSON. `created_at` is stored with
 * millisecond precision, so the ISO string compares exactly. Anything else is `INVALID_CURSOR`.
 */
export const OrderCursor = {
  encode(key: OrderCursorKey): string {
    return Buffer.from(JSON.stringify([VERSION, KIND, key.createdAt, key.id])).toString('base64url');
  },

  decode(raw: string): OrderCursorKey {
    if (raw.length > OrderingLimits.cursorMaxLength || !BASE64URL.test(raw)) throw new InvalidCursor();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursor();
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) throw new InvalidCursor();
    const [version, kind, createdAt, id] = parsed as unknown[];
    if (version !== VERSION || kind !== KIND) throw new InvalidCursor();
    if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursor();
    if (typeof createdAt !== 'string' || !isExactInstant(createdAt)) throw new InvalidCursor();
    return { createdAt, id };
  },
};

function isExactInstant(value: string): boolean {
  if (!ISO_MILLIS.test(value)) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}
