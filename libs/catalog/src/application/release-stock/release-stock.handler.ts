import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type StockReleaseView, StockReleasedV1 } from '@ficus/contracts';
import { OutboxWriter } from '@ficus/platform';
import { STOCK_LEDGER, TRANSACTION_RUNNER } from '../../catalog.di-tokens.js';
import type { StockLedger, TransactionRunner } from '../../domain/ports.js';
import { OrderReservation } from '../../domain/stock/order-reservation.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { ReleaseStockCommand } from './release-stock.command.js';

/** Gives an order's stock back once; repeating it answers the same, and nothing is given back twice. */
@CommandHandler(ReleaseStockCommand)
export class ReleaseStockHandler implements ICommandHandler<ReleaseStockCommand> {
  constructor(
    @Inject(STOCK_LEDGER) private readonly ledger: StockLedger,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ data, meta }: ReleaseStockCommand): Promise<StockReleaseView> {
    const orderId = data.orderId.toLowerCase();
    const reservation = await this.transactions.run(async (tx) => {
      const now = new Date();
      const found = await this.ledger.claimRelease(tx, orderId, now);
      // Nothing was reserved: the claim left the RELEASED marker.
      if (!found) return OrderReservation.releasedBeforeReserved(orderId, now);
      const { giveBack, changed } = found.release(now);
      if (giveBack.length) {
        await this.ledger.giveBack(tx, giveBack);
        await this.outbox.append(asManager(tx), meta, {
          definition: StockReleasedV1,
          aggregateId: orderId,
          payload: { orderId, lines: giveBack, releasedAt: now.toISOString() },
        });
      }
      if (changed) await this.ledger.save(tx, found);
      return found;
    });
    const { releasedAt } = reservation.snapshot();
    return { orderId, status: 'RELEASED', lines: reservation.releasedLines, releasedAt: releasedAt!.toISOString() };
  }
}
