import { CatalogPatterns, type ListProductsRequest, type ProductPage, type ProductView } from '@ficus/contracts';
import {
  type CatalogTestContext,
  createCategory,
  createProduct,
  failure,
  meta,
  startCatalog,
} from './catalog-test-context.js';

describe('product listing and search (real Postgres)', () => {
  let t: CatalogTestContext;
  beforeAll(async () => {
    t = await startCatalog('listing');
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  const list = (request: ListProductsRequest) =>
    t.client.send<ProductPage>(CatalogPatterns.listProducts, request, meta());

  /** Walks every page; `between` runs after each page (to insert products mid-walk). */
  async function walk(request: ListProductsRequest, between?: (page: number) => Promise<void>) {
    const seen: ProductView[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await list({ ...request, cursor });
      seen.push(...result.items);
      if (!result.nextCursor) return seen;
      cursor = result.nextCursor;
      await between?.(page);
    }
    throw new Error('pagination did not end');
  }

  const seedCategory = async (count: number, price: (i: number) => number) => {
    const { slug } = await createCategory(t.client);
    const products: ProductView[] = [];
    for (let i = 0; i < count; i++) {
      products.push(await createProduct(t.client, slug, { name: `Item ${i}`, priceCents: price(i) }));
    }
    return { slug, products };
  };

  it('pages newest first over 30 products with no duplicate and no gap while products are inserted', async () => {
    const { slug, products } = await seedCategory(30, (i) => 100 + i);
    const walked = await walk({ category: slug, limit: 7 }, async () => {
      await createProduct(t.client, slug, { name: 'Inserted meanwhile' });
    });
    expect(walked.map((p) => p.id)).toEqual(products.map((p) => p.id).reverse());
  }, 30_000);

  it.each([
    ['price_asc', (a: number, b: number) => a - b],
    ['price_desc', (a: number, b: number) => b - a],
  ] as const)(
    'pages %s with ties broken by id, stable under inserts',
    async (sort, compare) => {
      // Many equal prices, so the id tie-breaker matters.
      const { slug, products } = await seedCategory(26, (i) => 500 + (i % 5) * 100);
      const walked = await walk({ category: slug, sort, limit: 4 }, async (page) => {
        await createProduct(t.client, slug, { name: 'Inserted meanwhile', priceCents: 500 + (page % 5) * 100 });
      });
      const ids = walked.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(products.map((p) => p.id)));
      for (let i = 1; i < walked.length; i++) {
        const order = compare(walked[i - 1].priceCents, walked[i].priceCents);
        expect(order < 0 || (order === 0 && (sort === 'price_asc') === walked[i - 1].id < walked[i].id)).toBe(true);
      }
    },
    30_000,
  );

  it('filters by category and by an inclusive price range', async () => {
    const { slug, products } = await seedCategory(6, (i) => i * 100);
    const page = await list({ category: slug, minPrice: 100, maxPrice: 300, sort: 'price_asc' });
    expect(page.items.map((p) => p.priceCents)).toEqual([100, 200, 300]);
    expect(page.items.every((p) => p.category.slug === slug)).toBe(true);
    expect(page.nextCursor).toBeNull();
    expect((await list({ category: 'no-such-category' })).items).toEqual([]);
    expect(products).toHaveLength(6);
  });

  it('refuses a garbage cursor, a cursor of another sort and an inverted price range', async () => {
    expect(await failure(list({ cursor: 'garbage!' }))).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    const { nextCursor } = await list({ limit: 1 });
    expect(nextCursor).not.toBeNull();
    expect((await failure(list({ sort: 'price_asc', cursor: nextCursor! }))).code).toBe('INVALID_CURSOR');
    expect((await failure(list({ minPrice: 10, maxPrice: 5 }))).code).toBe('VALIDATION_FAILED');
    expect((await failure(list({ sort: 'relevance' }))).code).toBe('VALIDATION_FAILED');
    expect((await failure(list({ sort: 'cheapest' as never }))).code).toBe('VALIDATION_FAILED');
  });

  describe('search', () => {
    let slug: string;
    beforeAll(async () => {
      slug = (await createCategory(t.client)).slug;
      const make = (name: string, description: string) => createProduct(t.client, slug, { name, description });
      await make('Wireless Noise-Cancelling Headphones', 'Over-ear, 30 hours of battery.');
      await make('Studio Monitor Headphones', 'Closed-back, for mixing.');
      await make('Headphone Stand', 'Walnut stand for any headset.');
      await make('Desk Lamp', 'A warm reading light. Pairs well with your headphones.');
      await make('Garden Hose', 'Twenty metres, kink-free.');
    });

    const names = (page: ProductPage) => page.items.map((p) => p.name);

    it('finds "headphones" in names and descriptions, name matches first', async () => {
      const page = await list({ q: 'headphones', category: slug });
      expect(names(page)).toEqual(expect.arrayContaining(['Wireless Noise-Cancelling Headphones', 'Desk Lamp']));
      expect(names(page).indexOf('Desk Lamp')).toBeGreaterThan(names(page).indexOf('Studio Monitor Headphones'));
    });

    it('tolerates a typo: "hedphones" still finds the headphones', async () => {
      const page = await list({ q: 'hedphones', category: slug });
      expect(names(page)).toEqual(
        expect.arrayContaining(['Wireless Noise-Cancelling Headphones', 'Studio Monitor Headphones']),
      );
      expect(names(page)).not.toContain('Garden Hose');
    });

    it('understands web-search syntax and never fails on odd input', async () => {
      expect(names(await list({ q: 'headphones -wireless', category: slug }))).not.toContain(
        'Wireless Noise-Cancelling Headphones',
      );
      for (const q of [`'); DROP TABLE catalog.products; --`, '"unclosed', '&|!():*', 'a', '🎧']) {
        await expect(list({ q })).resolves.toMatchObject({ items: expect.any(Array) });
      }
    });

    it('pages from full-text matches into typo-only matches with no gap (the full-text-first fast path)', async () => {
      const { slug: shelf } = await createCategory(t.client);
      for (let i = 0; i < 8; i++) await createProduct(t.client, shelf, { name: `Headphones model ${i}` });
      for (let i = 0; i < 3; i++) await createProduct(t.client, shelf, { name: `Hedphones knockoff ${i}` });
      // Pages of 3: the first two are full of full-text matches (answered by full text alone), the third
      // straddles both kinds, the last holds typo matches only.
      const walked = await walk({ q: 'headphones', category: shelf, limit: 3 });
      expect(walked.map((p) => p.name.split(' ')[0])).toEqual([
        ...Array(8).fill('Headphones'),
        ...Array(3).fill('Hedphones'),
      ]);
      expect(new Set(walked.map((p) => p.id)).size).toBe(11);
    }, 30_000);

    it('pages by relevance over 25 matches without duplicates', async () => {
      const { slug: hoses } = await createCategory(t.client);
      for (let i = 0; i < 25; i++) {
        await createProduct(t.client, hoses, {
          name: `Garden hose model ${i}`,
          description: i % 2 ? 'garden' : 'hose',
        });
      }
      const walked = await walk({ q: 'garden hose', category: hoses, limit: 6 });
      expect(walked).toHaveLength(25);
      expect(new Set(walked.map((p) => p.id)).size).toBe(25);
    }, 30_000);
  });
});
