import { Inject, Injectable } from '@nestjs/common';
import type { CallMeta } from '@ficus/contracts';
import type { Order } from '../../domain/order.aggregate.js';
import type { CatalogGateway } from '../../domain/ports.js';
import { CATALOG_GATEWAY } from '../../ordering.di-tokens.js';
import type { SagaStepHandler } from './saga-step.js';

/** PENDING → STOCK_RESERVED, or CANCELLED / OUT_OF_STOCK. Catalog decides once per order id. */
@Injectable()
export class ReserveStockStep implements SagaStepHandler {
  constructor(@Inject(CATALOG_GATEWAY) private readonly catalog: CatalogGateway) {}

  async run(order: Order, meta: CallMeta): Promise<void> {
    const lines = order.snapshot().lines.map(({ productId, quantity }) => ({ productId, quantity }));
    const outcome = await this.catalog.reserve(order.id, lines, meta);
    if (outcome === 'reserved') order.stockReserved(new Date());
    else order.outOfStock(new Date());
  }
}
