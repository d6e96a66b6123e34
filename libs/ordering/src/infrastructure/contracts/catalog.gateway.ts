import { Inject } from '@nestjs/common';
import { CATALOG_API, type CallMeta, type CatalogApi } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';
import type { PricedProduct } from '../../domain/order.aggregate.js';
import type { CatalogGateway } from '../../domain/ports.js';

/** Catalog's answers that mean "this order gets no stock": it reserved nothing, and never will. */
const REFUSALS = new Set(['INSUFFICIENT_STOCK', 'PRODUCT_NOT_FOUND', 'RESERVATION_RELEASED']);

/** Catalog through its contract (`CatalogApi`), in-process or over Redis alike. */
export class ContractCatalogGateway implements CatalogGateway {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  async priceProducts(productIds: string[], meta: CallMeta): Promise<PricedProduct[]> {
    const products = await Promise.all(productIds.map((productId) => this.catalog.getProduct({ productId }, meta)));
    return products.map((p) => ({ productId: p.id, name: p.name, priceCents: p.priceCents, currency: p.currency }));
  }

  async reserve(
    orderId: string,
    lines: { productId: string; quantity: number }[],
    meta: CallMeta,
  ): Promise<'reserved' | 'out-of-stock'> {
    try {
      await this.catalog.reserveStock({ orderId, lines }, meta);
      return 'reserved';
    } catch (error) {
      if (error instanceof ContractCallError && REFUSALS.has(error.code)) return 'out-of-stock';
      throw error;
    }
  }

  async release(orderId: string, meta: CallMeta): Promise<void> {
    await this.catalog.releaseStock({ orderId }, meta);
  }
}
