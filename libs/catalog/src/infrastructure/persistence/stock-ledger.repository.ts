import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CacheInvalidationBus, OutboxWriter, type PendingEvent, runPrepared } from '@ficus/platform';
import type { ReservationFailure, StockLine } from '../../domain/stock/order-reservation.js';
import { OrderReservation } from '../../domain/stock/order-reservation.js';
import type { StockLedger, Tx } from '../../domain/ports.js';
import { PRODUCT_VIEWS, productsChanged } from '../cache/read-model-changes.js';
import { execute } from './typeorm-transaction.runner.js';
import { violatedUniqueConstraint } from './unique-violation.js';

interface OutcomeRow {
  order_id: string;
  status: 'RESERVED' | 'REJECTED' | 'RELEASED';
  failure_code: ReservationFailure['code'] | null;
  failure_product_id: string | null;
  decided_at: Date;
  released_at: Date | null;
  lines: StockLine[] | null;
}

/** An order's stock decision with its lines, in one row. */
const OUTCOME_SELECT = `
  SELECT o.*, (
    SELECT json_agg(json_build_object('productId', r.product_id, 'quantity', r.quantity) ORDER BY r.product_id)
    FROM catalog.stock_reservations r WHERE r.order_id = o.order_id
  ) AS lines
  FROM catalog.reservation_outcomes o`;

function toReservation(row: OutcomeRow): OrderReservation {
  return OrderReservation.restore({
    orderId: row.order_id,
    status: row.status,
    lines: row.lines ?? [],
    failure: row.failure_code ? { code: row.failure_code, productId: row.failure_product_id! } : null,
    decidedAt: row.decided_at,
    releasedAt: row.released_at,
  });
}

/**
 * Stock moves with one conditional UPDATE per product row — `stock = stock - n WHERE stock >= n` — so the
 * row lock and the check are one atomic step and no interleaving of orders can take stock below zero.
 * Lines arrive ordered by product id, so concurrent orders lock shared rows in the same order.
 */
export class SqlStockLedger implements StockLedger {
  constructor(
    @InjectDataSource('catalog') private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly caches: CacheInvalidationBus,
  ) {}

  async decideOneLine(
    orderId: string,
    line: StockLine,
    now: Date,
    announce: { correlationId: string; event: PendingEvent<unknown> },
  ): Promise<OrderReservation | null> {
    const outbox = this.outbox.cte(announce, [announce.event], { firstParam: 5, onlyIfRowsIn: 'taken' });
    // One statement, atomic by itself: take the stock unless the order was decided before, record the
    // decision (and the reserved line), announce a reservation. The outcome row has no ON CONFLICT on
    // purpose: should a concurrent or earlier decision exist, the insert fails and the whole statement —
    // the stock taken with it — is undone; the caller then reads that decision.
    try {
      const { rows } = await runPrepared<{ failure_code: ReservationFailure['code'] | null }>(
        this.dataSource,
        `WITH taken AS (
           UPDATE catalog.products SET stock = stock - $3
           WHERE id = $2 AND stock >= $3
             AND NOT EXISTS (SELECT 1 FROM catalog.reservation_outcomes WHERE order_id = $1)
           RETURNING id
         ), decision AS (
           SELECT CASE WHEN EXISTS (SELECT 1 FROM taken) THEN NULL
                       WHEN EXISTS (SELECT 1 FROM catalog.products WHERE id = $2) THEN 'INSUFFICIENT_STOCK'
                       ELSE 'PRODUCT_NOT_FOUND' END AS failure_code
         ), outcome AS (
           INSERT INTO catalog.reservation_outcomes (order_id, status, failure_code, failure_product_id, decided_at)
           SELECT $1, CASE WHEN failure_code IS NULL THEN 'RESERVED' ELSE 'REJECTED' END, failure_code,
                  CASE WHEN failure_code IS NULL THEN NULL ELSE $2::uuid END, $4
           FROM decision
           RETURNING order_id
         ), reserved AS (
           INSERT INTO catalog.stock_reservations (order_id, product_id, quantity)
           SELECT outcome.order_id, taken.id, $3 FROM outcome, taken
         ), ${outbox.sql}
         SELECT failure_code FROM decision`,
        [orderId, line.productId, line.quantity, now, ...outbox.params],
      );
      const code = rows[0].failure_code;
      // Not run through the transaction runner (one statement, no transaction), so the product view
      // that shows the stock is evicted here, after the statement committed.
      if (!code) await this.caches.invalidate(PRODUCT_VIEWS, [line.productId]);
      return code
        ? OrderReservation.rejected(orderId, { code, productId: line.productId }, now)
        : OrderReservation.reserved(orderId, [line], now);
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'reservation_outcomes_pkey') return null;
      throw error;
    }
  }

  async find(orderId: string): Promise<OrderReservation | null> {
    const rows: OutcomeRow[] = await this.dataSource.query(`${OUTCOME_SELECT} WHERE o.order_id = $1`, [orderId]);
    return rows.length ? toReservation(rows[0]) : null;
  }

  async claim(tx: Tx, orderId: string, now: Date): Promise<OrderReservation | null> {
    // The outcome row is the order's lock: a second reserve or a release of the same order waits on its
    // primary key until this transaction ends. Provisionally RESERVED; `save` writes the real decision.
    const { rows } = await execute(
      tx,
      `INSERT INTO catalog.reservation_outcomes (order_id, status, decided_at) VALUES ($1, 'RESERVED', $2)
       ON CONFLICT (order_id) DO NOTHING RETURNING 1`,
      [orderId, now],
    );
    return rows.length ? null : this.findForUpdate(tx, orderId);
  }

  async claimRelease(tx: Tx, orderId: string, now: Date): Promise<OrderReservation | null> {
    // Nothing decided yet: the RELEASED marker goes in at once (and refuses a late reservation).
    const { rows } = await execute(
      tx,
      `INSERT INTO catalog.reservation_outcomes (order_id, status, decided_at, released_at) VALUES ($1, 'RELEASED', $2, $2)
       ON CONFLICT (order_id) DO NOTHING RETURNING 1`,
      [orderId, now],
    );
    return rows.length ? null : this.findForUpdate(tx, orderId);
  }

  private async findForUpdate(tx: Tx, orderId: string): Promise<OrderReservation> {
    const { rows } = await execute(tx, `${OUTCOME_SELECT} WHERE o.order_id = $1 FOR UPDATE OF o`, [orderId]);
    return toReservation(rows[0] as OutcomeRow);
  }

  async take(tx: Tx, lines: StockLine[]): Promise<ReservationFailure | null> {
    productsChanged(
      tx,
      lines.map((l) => l.productId),
    );
    // One line is atomic by itself; several need a savepoint to be all-or-nothing while the order's
    // outcome row stays locked.
    const several = lines.length > 1;
    if (several) await execute(tx, 'SAVEPOINT take_stock', []);
    for (const line of lines) {
      // The take and, should it fail, why, in one round trip.
      const { rows } = await execute(
        tx,
        `WITH taken AS (
           UPDATE catalog.products SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING 1
         )
         SELECT EXISTS (SELECT 1 FROM taken) AS taken,
                EXISTS (SELECT 1 FROM catalog.products WHERE id = $1) AS known`,
        [line.productId, line.quantity],
      );
      const { taken, known } = rows[0] as { taken: boolean; known: boolean };
      if (taken) continue;
      if (several) await execute(tx, 'ROLLBACK TO SAVEPOINT take_stock', []);
      return { code: known ? 'INSUFFICIENT_STOCK' : 'PRODUCT_NOT_FOUND', productId: line.productId };
    }
    if (several) await execute(tx, 'RELEASE SAVEPOINT take_stock', []);
    return null;
  }

  async giveBack(tx: Tx, lines: StockLine[]): Promise<void> {
    productsChanged(
      tx,
      lines.map((l) => l.productId),
    );
    for (const line of lines) {
      await execute(tx, 'UPDATE catalog.products SET stock = stock + $2 WHERE id = $1', [
        line.productId,
        line.quantity,
      ]);
    }
  }

  async save(tx: Tx, reservation: OrderReservation): Promise<void> {
    const s = reservation.snapshot();
    // The decision and its lines in one statement.
    await execute(
      tx,
      `WITH outcome AS (
         INSERT INTO catalog.reservation_outcomes
           (order_id, status, failure_code, failure_product_id, decided_at, released_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, failure_code = excluded.failure_code,
           failure_product_id = excluded.failure_product_id, released_at = excluded.released_at
         RETURNING order_id
       )
       INSERT INTO catalog.stock_reservations (order_id, product_id, quantity, released_at)
       SELECT outcome.order_id, l.product_id, l.quantity, $6
       FROM outcome, unnest($7::uuid[], $8::int[]) AS l (product_id, quantity)
       ON CONFLICT (order_id, product_id) DO UPDATE SET released_at = excluded.released_at`,
      [
        s.orderId,
        s.status,
        s.failure?.code ?? null,
        s.failure?.productId ?? null,
        s.decidedAt,
        s.releasedAt,
        s.lines.map((l) => l.productId),
        s.lines.map((l) => l.quantity),
      ],
    );
  }
}
