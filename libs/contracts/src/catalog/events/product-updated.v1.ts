import { defineEvent } from '../../messaging/integration-event.js';

/** Payload of `catalog.product-updated.v1`: a product's name or price changed. */
export interface ProductUpdatedV1 {
  productId: string;
  sku: string;
  /** The name after the change. */
  name: string;
  /** The price after the change, minor units. */
  priceCents: number;
  /** ISO 4217 code after the change. */
  currency: string;
  /** Which of `name`, `priceCents`, `currency` changed. */
  changed: ('name' | 'priceCents' | 'currency')[];
  /** ISO 8601 UTC. */
  updatedAt: string;
}

/** Published when an admin changes a product's name or price (other edits do not concern other contexts). */
export const ProductUpdatedV1 = defineEvent<ProductUpdatedV1>('catalog', 'catalog.product-updated.v1');
