import { Inject, Injectable } from '@nestjs/common';
import type { CallMeta } from '@ficus/contracts';
import type { Order } from '../../domain/order.aggregate.js';
import type { CatalogGateway } from '../../domain/ports.js';
import { CATALOG_GATEWAY } from '../../ordering.di-tokens.js';
import type { SagaStepHandler } from './saga-step.js';

/**
 * Compensation: gives the order's stock back. Also sent when the reservation's fate is unknown (a crash
 * during the reserve call): catalog then remembers the release and refuses a late reservation.
 */
@Injectable()
export class ReleaseStockStep implements SagaStepHandler {
  constructor(@Inject(CATALOG_GATEWAY) private readonly catalog: CatalogGateway) {}

  async run(order: Order, meta: CallMeta): Promise<void> {
    await this.catalog.release(order.id, meta);
    order.stockReleased(new Date());
  }
}
