import { CatalogLimits } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import type { Money } from './value-objects/money.value-object.js';
import type { Sku } from './value-objects/sku.value-object.js';

export interface ProductProps {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  categoryId: string;
  stock: number;
  imageMediaId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What an admin may change; absent fields stay as they are. */
export interface ProductChanges {
  sku?: Sku;
  name?: string;
  description?: string;
  price?: Money;
  categoryId?: string;
  stock?: number;
  imageMediaId?: string | null;
}

export type ProductField =
  'sku' | 'name' | 'description' | 'priceCents' | 'currency' | 'categoryId' | 'stock' | 'imageMediaId';

/** Changes other contexts care about (ordering shows names and prices): they publish an event. */
export const PUBLISHED_FIELDS = ['name', 'priceCents', 'currency'] as const;
export type PublishedField = (typeof PUBLISHED_FIELDS)[number];

/**
 * A product on sale. Invariants: a trimmed name of 1–200 characters, a description of at most 5,000, a
 * non-negative integer price in one ISO 4217 currency and a non-negative whole stock. Stock reservations
 * do not go through the aggregate: they are a single conditional UPDATE, so concurrent orders can never
 * oversell (see the stock ledger).
 */
export class Product {
  private constructor(private props: ProductProps) {}

  static create(input: {
    id: string;
    sku: Sku;
    name: string;
    description: string;
    price: Money;
    categoryId: string;
    stock: number;
    imageMediaId?: string | null;
    now: Date;
  }): Product {
    return new Product({
      id: input.id,
      sku: input.sku.value,
      name: validName(input.name),
      description: validDescription(input.description),
      priceCents: input.price.amountCents,
      currency: input.price.currency,
      categoryId: input.categoryId,
      stock: validStock(input.stock),
      imageMediaId: input.imageMediaId ?? null,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(props: ProductProps): Product {
    return new Product({ ...props });
  }

  /** Applies the changes and returns the fields that really changed (`updatedAt` moves only then). */
  update(changes: ProductChanges, now: Date): ProductField[] {
    const next: ProductProps = { ...this.props };
    if (changes.sku) next.sku = changes.sku.value;
    if (changes.name !== undefined) next.name = validName(changes.name);
    if (changes.description !== undefined) next.description = validDescription(changes.description);
    if (changes.price) {
      next.priceCents = changes.price.amountCents;
      next.currency = changes.price.currency;
    }
    if (changes.categoryId !== undefined) next.categoryId = changes.categoryId;
    if (changes.stock !== undefined) next.stock = validStock(changes.stock);
    if (changes.imageMediaId !== undefined) next.imageMediaId = changes.imageMediaId;
    const changed = (Object.keys(next) as (keyof ProductProps)[]).filter(
      (key): key is ProductField => key !== 'updatedAt' && key !== 'createdAt' && next[key] !== this.props[key],
    );
    if (changed.length) this.props = { ...next, updatedAt: now };
    return changed;
  }

  get id() {
    return this.props.id;
  }
  get price() {
    return { amountCents: this.props.priceCents, currency: this.props.currency };
  }

  snapshot(): Readonly<ProductProps> {
    return { ...this.props };
  }
}

function validName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > CatalogLimits.productNameMaxLength) {
    throw new ValidationFailed([
      { field: 'name', message: `name must be 1 to ${CatalogLimits.productNameMaxLength} characters long` },
    ]);
  }
  return name;
}

function validDescription(raw: string): string {
  const description = raw.trim();
  if (description.length > CatalogLimits.descriptionMaxLength) {
    throw new ValidationFailed([
      { field: 'description', message: `description must be at most ${CatalogLimits.descriptionMaxLength} characters` },
    ]);
  }
  return description;
}

function validStock(stock: number): number {
  if (!Number.isSafeInteger(stock) || stock < 0 || stock > CatalogLimits.maxStock) {
    throw new ValidationFailed([
      { field: 'stock', message: `stock must be a whole number from 0 to ${CatalogLimits.maxStock}` },
    ]);
  }
  return stock;
}
