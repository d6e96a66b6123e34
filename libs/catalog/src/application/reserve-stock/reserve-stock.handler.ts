import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type StockReservationView, StockReservedV1 } from '@ficus/contracts';
import { OutboxWriter } from '@ficus/platform';
import { STOCK_LEDGER, TRANSACTION_RUNNER } from '../../catalog.di-tokens.js';
import type { StockLedger, TransactionRunner } from '../../domain/ports.js';
import { normalizeLines, OrderReservation } from '../../domain/stock/order-reservation.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { ReserveStockCommand } from './reserve-stock.command.js';

/**
 * All lines of an order or none, decided once per order id. A refusal is recorded too (and committed,
 * since it is thrown only after the transaction), so a retry of the same order gets the same answer.
 */
@CommandHandler(ReserveStockCommand)
export class ReserveStockHandler implements ICommandHandler<ReserveStockCommand> {
  constructor(
    @Inject(STOCK_LEDGER) private readonly ledger: StockLedger,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ data, meta }: ReserveStockCommand): Promise<StockReservationView> {
    const lines = normalizeLines(data.lines);
    const orderId = data.orderId.toLowerCase();
    const reservation = await this.transactions.run(async (tx) => {
      const now = new Date();
      const existing = await this.ledger.claim(tx, orderId, now);
      if (existing) return existing;
      const failure = await this.ledger.take(tx, lines);
      const decided = failure
        ? OrderReservation.rejected(orderId, failure, now)
        : OrderReservation.reserved(orderId, lines, now);
      await this.ledger.save(tx, decided);
      if (!failure) {
        await this.outbox.append(asManager(tx), meta, {
          definition: StockReservedV1,
          aggregateId: orderId,
          payload: { orderId, lines, reservedAt: now.toISOString() },
        });
      }
      return decided;
    });
    const answer = reservation.answerTo(lines);
    return { orderId, status: 'RESERVED', lines: answer.lines, reservedAt: answer.reservedAt.toISOString() };
  }
}
