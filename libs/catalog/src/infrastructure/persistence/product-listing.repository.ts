import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { GroupCommit } from '@ficus/platform';
import type { CursorKey } from '../../domain/listing/product-cursor.value-object.js';
import type { ProductListing } from '../../domain/listing/product-listing.js';
import type { ProductReader, ProductRecord, VersionedProductRecord } from '../../domain/ports.js';
import { PRODUCT_ROW_COLUMNS, ProductMapper, type ProductRow } from './product.mapper.js';

const FROM = 'FROM catalog.products p JOIN catalog.categories c ON c.id = p.category_id';
// The row versions (xmin: the transaction that wrote the row's current version) of the product and of its
// category: every write to either row changes them, stock moves included, so together they version the view.
const BY_IDS = `SELECT ${PRODUCT_ROW_COLUMNS}, p.xmin::text AS row_version, c.xmin::text AS category_row_version
  ${FROM} WHERE p.id = ANY($1::uuid[])`;
/** Look-ups that arrive together go out as one statement, at most this many, this many statements at once. */
const BATCH_MAX = 100;
const FLUSHES = 4;

/**
 * Search: a product matches when its tsvector matches the query (`websearch_to_tsquery`: quotes, `or` and
 * `-word` work, and no input is a syntax error) or when the query is word-similar to its name (pg_trgm
 * `<%`, threshold 0.6 — "hedphones" finds "Headphones"). Both predicates have a GIN index; Postgres ORs
 * the two bitmaps.
 *
 * Relevance: full-text matches first (1 + `ts_rank_cd`, normalized to 0..1, so name hits beat description
 * hits), then typo matches by trigram word similarity (0.6..1). Full-text matches never pay for
 * `word_similarity` (~8 µs a row, the dearest part of a search): the OR and the CASE short-circuit. The
 * score is rounded to 6 decimals so the cursor can carry it exactly.
 */
const MATCH = (q: string) => `(p.search @@ websearch_to_tsquery('english', ${q}) OR ${q} OPERATOR(public.<%) p.name)`;
const SCORE = (q: string) => `round((CASE WHEN p.search @@ websearch_to_tsquery('english', ${q})
    THEN 1 + ts_rank_cd(p.search, websearch_to_tsquery('english', ${q}), 32)
    ELSE public.word_similarity(${q}, p.name) END)::numeric, 6)`;

/** Full text alone (the first try of a relevance search): the same score as SCORE gives a full-text match. */
const FULL_TEXT_MATCH = (q: string) => `p.search @@ websearch_to_tsquery('english', ${q})`;
const FULL_TEXT_SCORE = (q: string) =>
  `round((1 + ts_rank_cd(p.search, websearch_to_tsquery('english', ${q}), 32))::numeric, 6)`;

/** Sort order and keyset predicate (on the outer query's columns) per sort. */
const ORDER: Record<CursorKey['sort'], { order: string; after: string }> = {
  newest: { order: 's.created_at DESC, s.id DESC', after: '(s.created_at, s.id) < ($K::timestamptz, $I::uuid)' },
  price_asc: { order: 's.price_cents ASC, s.id ASC', after: '(s.price_cents, s.id) > ($K::integer, $I::uuid)' },
  price_desc: { order: 's.price_cents DESC, s.id DESC', after: '(s.price_cents, s.id) < ($K::integer, $I::uuid)' },
  relevance: { order: 's.score DESC, s.id DESC', after: '(s.score, s.id) < ($K::numeric, $I::uuid)' },
};

type ListedRow = ProductRow & { score: string | null };
type VersionedRow = ProductRow & { row_version: string; category_row_version: string };

/**
 * The read side: plain SQL, one round trip per page, category joined in. Look-ups by id that miss the cache
 * at the same moment (orders pricing their products while reservations keep evicting the views, which
 * show the stock) share one statement (`GroupCommit`).
 */
export class SqlProductReader implements ProductReader {
  private readonly byId: GroupCommit<string, VersionedProductRecord | null>;

  constructor(@InjectDataSource('catalog') private readonly dataSource: DataSource) {
    this.byId = new GroupCommit<string, VersionedProductRecord | null>(
      {
        batch: (ids) => this.byIds(ids),
        alone: (id) => this.byIds([id]).then(([found]) => found),
      },
      { batchMax: BATCH_MAX, flushes: FLUSHES },
    );
  }

  /** Products by id, in the order asked (null for an unknown one); a named statement. */
  private async byIds(ids: string[]): Promise<(VersionedProductRecord | null)[]> {
    const { rows } = await this.pool.query<VersionedRow>({
      name: 'catalog.products-by-ids',
      text: BY_IDS,
      values: [ids],
    });
    const found = new Map(rows.map((row) => [row.id, versioned(row)]));
    return ids.map((id) => found.get(id.toLowerCase()) ?? null);
  }

  /** TypeORM's own pg pool: named statements, parsed and planned once per pooled connection. */
  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  /**
   * The hottest read (every product page, ETag revalidations included): a named statement, so each pooled
   * connection parses and plans it once instead of on every call. It goes to TypeORM's own pg pool.
   */
  async findById(id: string): Promise<ProductRecord | null> {
    return (await this.findVersionedById(id))?.record ?? null;
  }

  findVersionedById(id: string): Promise<VersionedProductRecord | null> {
    return this.byId.submit(id);
  }

  /**
   * One page. A relevance search first asks full text alone (a GIN lookup and a rank per match, ~0.2 ms):
   * every full-text match scores above 1 and every typo-only match at most 1, so when full text alone
   * fills the page and its last row scores above 1, no typo match can be on it and the trigram scan (the
   * dearer part, ~1 ms at 10,000 products) is skipped. Otherwise the full query runs.
   */
  async list(listing: ProductListing): Promise<{ records: ProductRecord[]; next: CursorKey | null }> {
    let rows: ListedRow[] | null = null;
    if (listing.q && listing.sort === 'relevance' && (!listing.after || Number(keyOf(listing.after)) > 1)) {
      const fullText = await this.query(listing, 'full-text');
      const last = fullText[listing.limit];
      if (last && Number(last.score) > 1) rows = fullText;
    }
    rows ??= await this.query(listing, 'full-text-or-typo');
    const page = rows.slice(0, listing.limit);
    const lastOfPage = page[page.length - 1];
    const next = rows.length > listing.limit && lastOfPage ? nextKey(listing.sort, lastOfPage) : null;
    return { records: page.map((row) => ProductMapper.fromRow(row)), next };
  }

  private query(listing: ProductListing, search: 'full-text' | 'full-text-or-typo'): Promise<ListedRow[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    let score = 'NULL::numeric';
    if (listing.q) {
      const q = `${param(listing.q)}::text`;
      where.push(search === 'full-text' ? FULL_TEXT_MATCH(q) : MATCH(q));
      score = search === 'full-text' ? FULL_TEXT_SCORE(q) : SCORE(q);
    }
    if (listing.categorySlug) where.push(`c.slug = ${param(listing.categorySlug)}`);
    if (listing.minPrice !== null) where.push(`p.price_cents >= ${param(listing.minPrice)}`);
    if (listing.maxPrice !== null) where.push(`p.price_cents <= ${param(listing.maxPrice)}`);
    const { order, after } = ORDER[listing.sort];
    const cursor = listing.after;
    const keyset = cursor ? after.replace('$K', () => param(keyOf(cursor))).replace('$I', () => param(cursor.id)) : '';
    // Postgres pulls the inner query up, so sorts without a score still walk their btree index.
    const sql = `SELECT * FROM (
        SELECT ${PRODUCT_ROW_COLUMNS}, ${score} AS score ${FROM}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ) s
      ${keyset ? `WHERE ${keyset}` : ''}
      ORDER BY ${order}
      LIMIT ${param(listing.limit + 1)}`;
    return this.dataSource.query(sql, params);
  }
}

function keyOf(key: CursorKey): string | number {
  if (key.sort === 'newest') return key.createdAt;
  if (key.sort === 'relevance') return key.score;
  return key.priceCents;
}

function nextKey(sort: CursorKey['sort'], row: ListedRow): CursorKey {
  if (sort === 'newest') return { sort, createdAt: row.created_at.toISOString(), id: row.id };
  if (sort === 'relevance') return { sort, score: row.score!, id: row.id };
  return { sort, priceCents: row.price_cents, id: row.id };
}

function versioned(row: VersionedRow): VersionedProductRecord {
  return { record: ProductMapper.fromRow(row), version: `${row.row_version}.${row.category_row_version}` };
}
