import type { ReservationFailure, StockLine } from '../../domain/stock/order-reservation.js';
import { OrderReservation } from '../../domain/stock/order-reservation.js';
import type { StockLedger, Tx } from '../../domain/ports.js';
import { productsChanged } from '../cache/read-model-changes.js';
import { execute } from './typeorm-transaction.runner.js';

interface OutcomeRow {
  order_id: string;
  status: 'RESERVED' | 'REJECTED' | 'RELEASED';
  failure_code: ReservationFailure['code'] | null;
  failure_product_id: string | null;
  decided_at: Date;
  released_at: Date | null;
  lines: StockLine[] | null;
}

/**
 * Stock moves with one conditional UPDATE per product row — `stock = stock - n WHERE stock >= n` — so the
 * row lock and the check are one atomic step and no interleaving of orders can take stock below zero.
 * Lines arrive ordered by product id, so concurrent orders lock shared rows in the same order.
 */
export class SqlStockLedger implements StockLedger {
  async lockOrder(tx: Tx, orderId: string): Promise<void> {
    await execute(tx, 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`catalog.order-stock:${orderId}`]);
  }

  async findReservation(tx: Tx, orderId: string): Promise<OrderReservation | null> {
    const { rows } = await execute(
      tx,
      `SELECT o.*, (
         SELECT json_agg(json_build_object('productId', r.product_id, 'quantity', r.quantity) ORDER BY r.product_id)
         FROM catalog.stock_reservations r WHERE r.order_id = o.order_id
       ) AS lines
       FROM catalog.reservation_outcomes o WHERE o.order_id = $1`,
      [orderId],
    );
    const row = rows[0] as OutcomeRow | undefined;
    if (!row) return null;
    return OrderReservation.restore({
      orderId: row.order_id,
      status: row.status,
      lines: row.lines ?? [],
      failure: row.failure_code ? { code: row.failure_code, productId: row.failure_product_id! } : null,
      decidedAt: row.decided_at,
      releasedAt: row.released_at,
    });
  }

  async take(tx: Tx, lines: StockLine[]): Promise<ReservationFailure | null> {
    productsChanged(
      tx,
      lines.map((l) => l.productId),
    );
    // A savepoint makes the lines all-or-nothing while the order's lock stays held for the outcome row.
    await execute(tx, 'SAVEPOINT take_stock', []);
    for (const line of lines) {
      const { affected } = await execute(
        tx,
        'UPDATE catalog.products SET stock = stock - $2 WHERE id = $1 AND stock >= $2',
        [line.productId, line.quantity],
      );
      if (affected === 1) continue;
      await execute(tx, 'ROLLBACK TO SAVEPOINT take_stock', []);
      const { rows } = await execute(tx, 'SELECT 1 FROM catalog.products WHERE id = $1', [line.productId]);
      return { code: rows.length ? 'INSUFFICIENT_STOCK' : 'PRODUCT_NOT_FOUND', productId: line.productId };
    }
    await execute(tx, 'RELEASE SAVEPOINT take_stock', []);
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
    await execute(
      tx,
      `INSERT INTO catalog.reservation_outcomes
         (order_id, status, failure_code, failure_product_id, decided_at, released_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, released_at = excluded.released_at`,
      [s.orderId, s.status, s.failure?.code ?? null, s.failure?.productId ?? null, s.decidedAt, s.releasedAt],
    );
    if (!s.lines.length) return;
    await execute(
      tx,
      `INSERT INTO catalog.stock_reservations (order_id, product_id, quantity, released_at)
       SELECT $1, product_id, quantity, $4 FROM unnest($2::uuid[], $3::int[]) AS l (product_id, quantity)
       ON CONFLICT (order_id, product_id) DO UPDATE SET released_at = excluded.released_at`,
      [s.orderId, s.lines.map((l) => l.productId), s.lines.map((l) => l.quantity), s.releasedAt],
    );
  }
}
