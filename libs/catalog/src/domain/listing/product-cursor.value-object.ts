import { CatalogLimits, type ProductSort } from '@ficus/contracts';
import { KeysetCursor, isExactInstant } from '@ficus/platform';
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

const SCORE = /^\d{1,4}(\.\d{1,6})?$/;

/** Opaque to clients (`KeysetCursor` with the sort as its kind). Anything else is `INVALID_CURSOR`. */
export const ProductCursor = {
  encode(key: CursorKey): string {
    const value = key.sort === 'newest' ? key.createdAt : key.sort === 'relevance' ? key.score : key.priceCents;
    return KeysetCursor.encode({ kind: key.sort, value, id: key.id });
  },

  /** Decodes a cursor made for `sort`; a cursor of another sort (or garbage) is refused. */
  decode(raw: string, sort: ProductSort): CursorKey {
    const position = KeysetCursor.decode(raw, CatalogLimits.cursorMaxLength);
    if (position?.kind !== sort) throw new InvalidCursor();
    const { value, id } = position;
    if (sort === 'newest' && isExactInstant(value)) return { sort, createdAt: value, id };
    if ((sort === 'price_asc' || sort === 'price_desc') && isPrice(value)) return { sort, priceCents: value, id };
    if (sort === 'relevance' && typeof value === 'string' && SCORE.test(value)) return { sort, score: value, id };
    throw new InvalidCursor();
  },
};

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= CatalogLimits.maxPriceCents;
}
