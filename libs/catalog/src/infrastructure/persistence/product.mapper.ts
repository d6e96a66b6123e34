import type { ProductView } from '@ficus/contracts';
import type { ProductRecord } from '../../domain/ports.js';
import { Product } from '../../domain/product.aggregate.js';
import { CategoryMapper } from './category.mapper.js';
import { ProductOrmEntity } from './product.orm-entity.js';

/** Raw SQL row of a product joined with its category (the reader's and the ledger's queries). */
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  category_id: string;
  stock: number;
  image_media_id: string | null;
  image_url: string | null;
  created_at: Date;
  updated_at: Date;
  category_slug: string;
  category_name: string;
}

export const PRODUCT_ROW_COLUMNS = `p.id, p.sku, p.name, p.description, p.price_cents, p.currency, p.category_id,
  p.stock, p.image_media_id, p.image_url, p.created_at, p.updated_at, c.slug AS category_slug, c.name AS category_name`;

export const ProductMapper = {
  toDomain(row: ProductOrmEntity): Product {
    return Product.restore({ ...row });
  },
  toOrm(product: Product): ProductOrmEntity {
    return Object.assign(new ProductOrmEntity(), product.snapshot());
  },
  fromRow(row: ProductRow): ProductRecord {
    return {
      product: {
        id: row.id,
        sku: row.sku,
        name: row.name,
        description: row.description,
        priceCents: row.price_cents,
        currency: row.currency,
        categoryId: row.category_id,
        stock: row.stock,
        imageMediaId: row.image_media_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      },
      category: { id: row.category_id, slug: row.category_slug, name: row.category_name },
      imageUrl: row.image_url,
    };
  },
  toView({ product: p, category, imageUrl }: ProductRecord): ProductView {
    return {
      id: p.id,
      sku: p.sku,
      name: p.name,
      description: p.description,
      priceCents: p.priceCents,
      currency: p.currency,
      category: CategoryMapper.toView(category),
      stock: p.stock,
      // Set once media announced the product's image READY (catalog never asks media at read time).
      imageUrl: imageUrl ?? null,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  },
};
