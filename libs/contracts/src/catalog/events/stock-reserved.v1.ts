import { defineEvent } from '../../messaging/integration-event.js';
import type { StockLine } from '../catalog.types.js';

/** Payload of `catalog.stock-reserved.v1`: stock is held for an order. */
export interface StockReservedV1 {
  orderId: string;
  /** Reserved lines, ordered by product id. */
  lines: StockLine[];
  /** ISO 8601 UTC. */
  reservedAt: string;
}

/** Published once per order whose lines were all reserved (never for a refused or repeated reservation). */
export const StockReservedV1 = defineEvent<StockReservedV1>('catalog', 'catalog.stock-reserved.v1');
