import { defineEvent } from '../../messaging/integration-event.js';
import type { StockLine } from '../catalog.types.js';

/** Payload of `catalog.stock-released.v1`: an order's reserved stock went back on sale. */
export interface StockReleasedV1 {
  orderId: string;
  /** Lines returned to stock, ordered by product id. */
  lines: StockLine[];
  /** ISO 8601 UTC. */
  releasedAt: string;
}

/** Published once per order whose reservation was released (not when there was nothing to release). */
export const StockReleasedV1 = defineEvent<StockReleasedV1>('catalog', 'catalog.stock-released.v1');
