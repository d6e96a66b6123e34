import { CatalogLimits, SKU_PATTERN, SLUG_PATTERN } from '@ficus/contracts';
import { generateProduct } from './catalog-seed.js';
import { SEED_CATEGORIES } from './catalog-words.js';

describe('generateProduct', () => {
  it('gives the same product for the same number and prefix, so a re-run of the seed changes nothing', () => {
    expect(generateProduct(42, SEED_CATEGORIES, 'SEED')).toEqual(generateProduct(42, SEED_CATEGORIES, 'SEED'));
    expect(generateProduct(42, SEED_CATEGORIES, 'SEED')).not.toEqual(generateProduct(43, SEED_CATEGORIES, 'SEED'));
  });

  it('makes products the catalog accepts, in the categories it was given', () => {
    const five = SEED_CATEGORIES.slice(0, 5);
    for (let n = 1; n <= 2000; n++) {
      const p = generateProduct(n, five, 'DEMO');
      expect(p.sku).toBe(`DEMO-${String(n).padStart(6, '0')}`);
      expect(p.sku).toMatch(SKU_PATTERN);
      expect(five.map((c) => c.slug)).toContain(p.categorySlug);
      expect(p.name.length).toBeLessThanOrEqual(CatalogLimits.productNameMaxLength);
      expect(p.description.length).toBeLessThanOrEqual(CatalogLimits.descriptionMaxLength);
      expect(p.priceCents % 100).toBe(99);
      expect(Number.isInteger(p.stock) && p.stock >= 0).toBe(true);
    }
  });

  it('uses valid, unique category slugs', () => {
    const slugs = SEED_CATEGORIES.map((c) => c.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(SLUG_PATTERN);
  });
});
