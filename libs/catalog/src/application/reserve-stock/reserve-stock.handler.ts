import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CallMeta, type StockReservationView, StockReservedV1 } from '@ficus/contracts';
import { OutboxWriter } from '@ficus/platform';
import { STOCK_LEDGER, TRANSACTION_RUNNER } from '../../catalog.di-tokens.js';
import type { StockLedger, TransactionRunner } from '../../domain/ports.js';
import { normalizeLines, OrderReservation, type StockLine } from '../../domain/stock/order-reservation.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { ReserveStockCommand } from './reserve-stock.command.js';

const reservedEvent = (orderId: string, lines: StockLine[], now: Date) => ({
  definition: StockReservedV1,
  aggregateId: orderId,
  payload: { orderId, lines, reservedAt: now.toISOString() },
});

/**
 * All lines of an order or none, decided once per order id. A refusal is recorded too (and committed,
 * since it is thrown only after the decision is stored), so a retry of the same order gets the same
 * answer. A one-line order — the common case — is decided in a single statement; several lines take a
 * transaction (a savepoint makes them all-or-nothing).
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
    const reservation =
      lines.length === 1
        ? await this.reserveOneLine(orderId, lines[0], meta)
        : await this.reserve(orderId, lines, meta);
    const answer = reservation.answerTo(lines);
    return { orderId, status: 'RESERVED', lines: answer.lines, reservedAt: answer.reservedAt.toISOString() };
  }

  private async reserveOneLine(orderId: string, line: StockLine, meta: CallMeta): Promise<OrderReservation> {
    const now = new Date();
    const event = reservedEvent(orderId, [line], now);
    const decided = await this.ledger.decideOneLine(orderId, line, now, { correlationId: meta.correlationId, event });
    // Decided before (a retry, a concurrent copy, or a release that came first): that decision answers.
    return decided ?? (await this.ledger.find(orderId))!;
  }

  private reserve(orderId: string, lines: StockLine[], meta: CallMeta): Promise<OrderReservation> {
    return this.transactions.run(async (tx) => {
      const now = new Date();
      const existing = await this.ledger.claim(tx, orderId, now);
      if (existing) return existing;
      const failure = await this.ledger.take(tx, lines);
      const decided = failure
        ? OrderReservation.rejected(orderId, failure, now)
        : OrderReservation.reserved(orderId, lines, now);
      await this.ledger.save(tx, decided);
      if (!failure) await this.outbox.append(asManager(tx), meta, reservedEvent(orderId, lines, now));
      return decided;
    });
  }
}
