import { ValidationFailed } from '@ficus/platform';
import { Category } from './category.aggregate.js';
import { Product } from './product.aggregate.js';
import { Money } from './value-objects/money.value-object.js';
import { Sku } from './value-objects/sku.value-object.js';
import { Slug } from './value-objects/slug.value-object.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-02T00:00:00Z');

const product = () =>
  Product.create({
    id: 'p1',
    sku: Sku.parse('hp-1'),
    name: '  Studio Headphones ',
    description: ' Closed-back. ',
    price: Money.of(9900, 'EUR'),
    categoryId: 'c1',
    stock: 5,
    now,
  });

describe('Product', () => {
  it('is created with trimmed text, no image and equal timestamps', () => {
    expect(product().snapshot()).toEqual({
      id: 'p1',
      sku: 'HP-1',
      name: 'Studio Headphones',
      description: 'Closed-back.',
      priceCents: 9900,
      currency: 'EUR',
      categoryId: 'c1',
      stock: 5,
      imageMediaId: null,
      createdAt: now,
      updatedAt: now,
    });
  });

  it('reports exactly the fields an update changed, and moves updatedAt only then', () => {
    const p = product();
    expect(p.update({ name: 'Studio Headphones', price: Money.of(9900, 'EUR') }, later)).toEqual([]);
    expect(p.snapshot().updatedAt).toBe(now);
    expect(p.update({ name: 'Studio Headphones II', price: Money.of(8900, 'EUR'), stock: 5 }, later)).toEqual([
      'name',
      'priceCents',
    ]);
    expect(p.snapshot()).toMatchObject({ name: 'Studio Headphones II', priceCents: 8900, updatedAt: later });
  });

  it('changes currency and amount together', () => {
    expect(product().update({ price: Money.of(9900, 'USD') }, later)).toEqual(['currency']);
  });

  it('can drop its image', () => {
    const p = Product.restore({ ...product().snapshot(), imageMediaId: 'm1' });
    expect(p.update({ imageMediaId: null }, later)).toEqual(['imageMediaId']);
  });

  it.each([
    ['an empty name', { name: '   ' }],
    ['an overlong name', { name: 'x'.repeat(201) }],
    ['an overlong description', { description: 'x'.repeat(5001) }],
    ['negative stock', { stock: -1 }],
    ['fractional stock', { stock: 1.5 }],
  ])('refuses %s and keeps its state', (_label, changes) => {
    const p = product();
    expect(() => p.update(changes, later)).toThrow(ValidationFailed);
    expect(p.snapshot().updatedAt).toBe(now);
  });
});

describe('Category', () => {
  it('trims its name and refuses an empty or overlong one', () => {
    expect(Category.create({ id: 'c', slug: Slug.parse('audio'), name: ' Audio ' }).snapshot().name).toBe('Audio');
    expect(() => Category.create({ id: 'c', slug: Slug.parse('audio'), name: ' ' })).toThrow(ValidationFailed);
    expect(() => Category.create({ id: 'c', slug: Slug.parse('audio'), name: 'x'.repeat(101) })).toThrow(
      ValidationFailed,
    );
  });
});
