import { CatalogLimits, type ProductSort } from '@ficus/contracts';
import { InvalidCursor } from '../catalog.errors.js';

/**
 * The position after the last product of a page: the sort key of that product plus its id (the
 * tie-breaker), so the next page is `WHERE (key, id) > (…)` in sort order. Keyset positions do not
 * move when products are inserted, unlike offsets: no duplicates, no gaps.
 *
 * - `newest`: `created_at` (stored with millisecond precision, so the ISO string is exact) + id;
 * - `price_asc` / `price_desc`: `price_cents` + id;
 * - `relevance`: the score (rounded to 6 decimals in SQL, carried as its decimal text so it compares
 *   exactly) + id. A product whose text is edited between two pages may move; inserts never shift others.
 */
export type CursorKey =
  | { sort: 'newest'; createdAt: string; id: string }
  | { sort: 'price_asc' | 'price_desc'; priceCents: number; id: string }
  | { sort: 'relevance'; score: string; id: string };

const VERSION = 1;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SCORE = /^\d{1,4}(\.\d{1,6})?$/;

/** Opaque to clients: base64url of `[version, sort, key, id]` JSON. Anything else is `INVALID_CURSOR`. */
export const ProductCursor = {
  encode(key: CursorKey): string {
    const value = key.sort === 'newest' ? key.createdAt : key.sort === 'relevance' ? key.score : key.priceCents;
    return Buffer.from(JSON.stringify([VERSION, key.sort, value, key.id])).toString('base64url');
  },

  /** Decodes a cursor made for `sort`; a cursor of another sort (or garbage) is refused. */
  decode(raw: string, sort: ProductSort): CursorKey {
    if (raw.length > CatalogLimits.cursorMaxLength || !BASE64URL.test(raw)) throw new InvalidCursor();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursor();
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) throw new InvalidCursor();
    const [version, cursorSort, value, id] = parsed as unknown[];
    if (version !== VERSION || cursorSort !== sort || typeof id !== 'string' || !UUID.test(id)) {
      throw new InvalidCursor();
    }
    if (sort === 'newest' && typeof value === 'string' && isExactInstant(value)) {
      return { sort, createdAt: value, id };
    }
    if ((sort === 'price_asc' || sort === 'price_desc') && isPrice(value)) return { sort, priceCents: value, id };
    if (sort === 'relevance' && typeof value === 'string' && SCORE.test(value)) return { sort, score: value, id };
    throw new InvalidCursor();
  },
};

function isExactInstant(value: string): boolean {
  if (!ISO_MILLIS.test(value)) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= CatalogLimits.maxPriceCents;
}
