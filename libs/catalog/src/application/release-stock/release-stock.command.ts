import { Command } from '@nestjs/cqrs';
import type { CallMeta, ReleaseStockRequest, StockReleaseView } from '@ficus/contracts';

export class ReleaseStockCommand extends Command<StockReleaseView> {
  constructor(
    readonly data: ReleaseStockRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
