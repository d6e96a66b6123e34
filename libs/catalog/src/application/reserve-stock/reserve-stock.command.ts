import { Command } from '@nestjs/cqrs';
import type { CallMeta, ReserveStockRequest, StockReservationView } from '@ficus/contracts';

export class ReserveStockCommand extends Command<StockReservationView> {
  constructor(
    readonly data: ReserveStockRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
