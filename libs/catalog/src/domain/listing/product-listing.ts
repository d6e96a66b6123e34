import { CatalogLimits, type ProductSort } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { Slug } from '../value-objects/slug.value-object.js';
import { type CursorKey, ProductCursor } from './product-cursor.value-object.js';

/** A product listing, normalized: defaults applied, search text cleaned, cursor decoded. */
export interface ProductListing {
  /** Whitespace-collapsed search text, or null for no search. */
  q: string | null;
  categorySlug: string | null;
  minPrice: number | null;
  maxPrice: number | null;
  sort: ProductSort;
  limit: number;
  after: CursorKey | null;
}

export interface ListingInput {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: ProductSort;
  limit?: number;
  cursor?: string;
}

/** Applies the listing rules: `relevance` is the default with a search and impossible without one. */
export function parseListing(input: ListingInput): ProductListing {
  const problems: { field: string; message: string }[] = [];
  const q = input.q?.trim().replace(/\s+/g, ' ') || null;
  if (q && q.length > CatalogLimits.queryMaxLength) {
    problems.push({ field: 'q', message: `q must be at most ${CatalogLimits.queryMaxLength} characters` });
  }
  const sort: ProductSort = input.sort ?? (q ? 'relevance' : 'newest');
  if (sort === 'relevance' && !q) problems.push({ field: 'sort', message: 'sort=relevance needs a search (q)' });
  const limit = input.limit ?? CatalogLimits.defaultPageSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > CatalogLimits.maxPageSize) {
    problems.push({ field: 'limit', message: `limit must be a whole number from 1 to ${CatalogLimits.maxPageSize}` });
  }
  const minPrice = input.minPrice ?? null;
  const maxPrice = input.maxPrice ?? null;
  for (const [field, value] of [
    ['minPrice', minPrice],
    ['maxPrice', maxPrice],
  ] as const) {
    if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
      problems.push({ field, message: `${field} must be a whole number of minor units, 0 or more` });
    }
  }
  if (minPrice !== null && maxPrice !== null && minPrice > maxPrice) {
    problems.push({ field: 'maxPrice', message: 'maxPrice must not be below minPrice' });
  }
  if (problems.length) throw new ValidationFailed(problems);
  return {
    q,
    categorySlug: input.category === undefined ? null : Slug.parse(input.category, 'category').value,
    minPrice,
    maxPrice,
    sort,
    limit,
    after: input.cursor === undefined ? null : ProductCursor.decode(input.cursor, sort),
  };
}
