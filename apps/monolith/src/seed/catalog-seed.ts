import type { CallMeta, CatalogApi, ImportedProduct } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';
import { ADJECTIVES, BRANDS, COLORS, SEED_CATEGORIES, type SeedCategory } from './catalog-words.js';

export interface CatalogSeedOptions {
  /** How many products to generate. */
  products: number;
  /** How many of the seed categories to use (all by default). */
  categories?: number;
  /** SKU prefix: product N is always `<prefix>-<N>` with the same content, so a re-run inserts nothing. */
  prefix: string;
  batchSize?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

export interface CatalogSeedResult {
  categories: number;
  inserted: number;
  skipped: number;
  elapsedMs: number;
}

/** What `npm start` seeds on an empty database. */
export const DEMO_CATALOG = { prefix: 'DEMO', categories: 5, products: 50 } as const;

const DEFAULT_BATCH = 1000;
const DEFAULT_CONCURRENCY = 2;

/**
 * Seeds the catalog through its public API (`createCategory`, then `importProducts` in batches of 1,000),
 * so it works whether catalog runs in this process or is extracted. Deterministic and idempotent: the same
 * options give the same SKUs and contents, and existing ones are skipped.
 */
export async function seedCatalog(
  catalog: CatalogApi,
  meta: CallMeta,
  options: CatalogSeedOptions,
): Promise<CatalogSeedResult> {
  const started = Date.now();
  const categories = SEED_CATEGORIES.slice(0, options.categories ?? SEED_CATEGORIES.length);
  for (const category of categories) await ensureCategory(catalog, meta, category);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let inserted = 0;
  let skipped = 0;
  let done = 0;
  let next = 1;
  // Two batches in flight: one is validated and generated in this process while Postgres inserts the other.
  const worker = async () => {
    while (next <= options.products) {
      const from = next;
      const to = Math.min(from + batchSize - 1, options.products);
      next = to + 1;
      const products: ImportedProduct[] = [];
      for (let i = from; i <= to; i++) products.push(generateProduct(i, categories, options.prefix));
      const result = await catalog.importProducts({ products }, meta);
      inserted += result.inserted;
      skipped += result.skipped;
      done += products.length;
      options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
  return { categories: categories.length, inserted, skipped, elapsedMs: Date.now() - started };
}

async function ensureCategory(catalog: CatalogApi, meta: CallMeta, category: SeedCategory): Promise<void> {
  try {
    await catalog.createCategory({ slug: category.slug, name: category.name }, meta);
  } catch (error) {
    if (!(error instanceof ContractCallError && error.code === 'SLUG_TAKEN')) throw error;
  }
}

/** Product number `n` of a seed: the same inputs always give the same product. */
export function generateProduct(n: number, categories: SeedCategory[], prefix: string): ImportedProduct {
  const random = mulberry32(hashSeed(`${prefix}:${n}`));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const category = pick(categories);
  const brand = pick(BRANDS);
  const adjective = pick(ADJECTIVES);
  const noun = pick(category.nouns);
  const color = pick(COLORS);
  const material = pick(category.materials);
  const [first, second] = shuffled(category.features, random);
  const model =
    random() < 0.4 ? ` ${String.fromCharCode(65 + Math.floor(random() * 26))}${10 + Math.floor(random() * 890)}` : '';
  const [min, max] = category.priceCents;
  // Shop prices end in 99 cents.
  const priceCents = Math.max(99, Math.round((min + random() * (max - min)) / 100) * 100 - 1);
  return {
    sku: `${prefix}-${String(n).padStart(6, '0')}`,
    name: `${brand} ${adjective} ${noun}${model} – ${color}`,
    description:
      `${adjective} ${noun.toLowerCase()} by ${brand}, made of ${material}. ${first}. ${second}. ` +
      `Colour: ${color.toLowerCase()}.`,
    priceCents,
    currency: 'EUR',
    categorySlug: category.slug,
    stock: random() < 0.08 ? 0 : Math.floor(random() * 250) + 1,
  };
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** FNV-1a: a 32-bit seed from a string. */
function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A small, fast, seedable PRNG (good enough for fake data, not for anything secret). */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
