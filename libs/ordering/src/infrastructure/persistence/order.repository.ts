import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type FicusConfig, ficusConfig, GroupCommit, OutboxWriter, runPrepared } from '@ficus/platform';
import type { OrderCursorKey } from '../../domain/listing/order-cursor.value-object.js';
import type { Order } from '../../domain/order.aggregate.js';
import type { Announcement, OrderRepository, Tx } from '../../domain/ports.js';
import { ORDER_SELECT, OrderMapper, type OrderRow } from './order.mapper.js';
import { asManager } from './typeorm-transaction.runner.js';

/** Runs a (prepared) statement on the transaction's connection. */
async function execute(tx: Tx, sql: string, params: unknown[]): Promise<{ rows: any[]; affected: number }> {
  return runPrepared(asManager(tx), sql, params);
}

type OrderSnapshot = ReturnType<Order['snapshot']>;

/** The saga columns a placement and a save both write, as one array per column (for `unnest`). */
function sagaStateColumns(orders: OrderSnapshot[]): unknown[][] {
  return [
    orders.map((o) => o.saga.step),
    orders.map((o) => o.saga.paymentToken),
    orders.map((o) => o.saga.chargeRequested),
    orders.map((o) => o.saga.releasePending),
    orders.map((o) => o.saga.refundPending),
    orders.map((o) => o.saga.attempts),
    orders.map((o) => o.saga.nextAttemptAt),
  ];
}

/** An order to place, with the events that announce it. */
interface Placement {
  order: Order;
  announce: Announcement;
}

/** Placement statements running at once: requests in flight queue behind them and go out as the next batch. */
const PLACEMENT_FLUSHES = 4;

/**
 * Orders and their sagas in plain SQL: the saga's reads lock rows, which TypeORM's finders make awkward.
 * Orders placed at the same moment (concurrent requests) are written by one statement (`GroupCommit`,
 * ORDERING_PLACEMENT_BATCH_MAX): one round trip and one commit for the batch instead of one per order.
 */
export class SqlOrderRepository implements OrderRepository {
  private readonly placements: GroupCommit<Placement, boolean>;

  constructor(
    @InjectDataSource('ordering') private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(ficusConfig.KEY) config: FicusConfig,
  ) {
    this.placements = new GroupCommit<Placement, boolean>(
      {
        batch: (placements) => this.insertMany(placements),
        alone: async (placement) => (await this.insertMany([placement]))[0],
      },
      { batchMax: config.ordering.placementBatchMax, flushes: PLACEMENT_FLUSHES },
    );
  }

  insert(order: Order, announce: Announcement): Promise<boolean> {
    return this.placements.submit({ order, announce });
  }

  /**
   * Orders, their lines, their sagas and the events announcing them in one statement (atomic on its own,
   * no transaction; a lone order is a batch of one): an order whose (user, idempotency key) exists —
   * before, or earlier in the batch — is skipped with its lines, saga and events.
   */
  private async insertMany(placements: Placement[]): Promise<boolean[]> {
    const orders = placements.map((p) => p.order.snapshot());
    const lines = orders.flatMap((o) => o.lines.map((line, position) => ({ orderId: o.id, position, ...line })));
    const outbox = this.outbox.announcementsCte(
      placements.map((p) => p.announce),
      { firstParam: 25, onlyForIdsIn: 'o' },
    );
    const column = <T>(pick: (o: (typeof orders)[number]) => T) => orders.map(pick);
    const { rows } = await runPrepared<{ id: string }>(
      this.dataSource,
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
           $8::timestamptz[], $9::timestamptz[]) WITH ORDINALITY
           AS v (id, user_id, idempotency_key, status, cancellation_reason, total_cents, currency, created_at,
             updated_at, n)
       ), o AS (
         INSERT INTO ordering.orders (id, user_id, idempotency_key, status, cancellation_reason, total_cents, currency,
           created_at, updated_at)
         SELECT id, user_id, idempotency_key, status, cancellation_reason, total_cents, currency, created_at,
           updated_at FROM v ORDER BY user_id, idempotency_key, n
         ON CONFLICT ON CONSTRAINT orders_user_idempotency_key DO NOTHING RETURNING id
       ), l AS (
         INSERT INTO ordering.order_lines (order_id, position, product_id, name, unit_price_cents, quantity)
         SELECT l.order_id, l.position, l.product_id, l.name, l.unit_price_cents, l.quantity
         FROM unnest($10::uuid[], $11::int[], $12::uuid[], $13::text[], $14::int[], $15::int[])
           AS l (order_id, position, product_id, name, unit_price_cents, quantity)
         WHERE l.order_id IN (SELECT id FROM o)
       ), s AS (
         INSERT INTO ordering.order_sagas (order_id, step, payment_token, charge_requested, release_pending,
           refund_pending, attempts, next_attempt_at, deadline_at, last_error)
         SELECT * FROM unnest($1::uuid[], $16::text[], $17::text[], $18::boolean[], $19::boolean[], $20::boolean[],
           $21::int[], $22::timestamptz[], $23::timestamptz[], $24::text[])
           AS s (order_id, step, payment_token, charge_requested, release_pending, refund_pending, attempts,
             next_attempt_at, deadline_at, last_error)
         WHERE s.order_id IN (SELECT id FROM o)
       ), ${outbox.sql}
       SELECT id FROM o`,
      [
        column((o) => o.id),
        column((o) => o.userId),
        column((o) => o.idempotencyKey),
        column((o) => o.status),
        column((o) => o.cancellationReason),
        column((o) => o.totalCents),
        column((o) => o.currency),
        column((o) => o.createdAt),
        column((o) => o.updatedAt),
        lines.map((l) => l.orderId),
        lines.map((l) => l.position),
        lines.map((l) => l.productId),
        lines.map((l) => l.name),
        lines.map((l) => l.unitPriceCents),
        lines.map((l) => l.quantity),
        ...sagaStateColumns(orders),
        column((o) => o.saga.deadlineAt),
        column((o) => o.saga.lastError),
        ...outbox.params,
      ],
    );
    const inserted = new Set(rows.map((r) => r.id));
    return orders.map((o) => inserted.has(o.id));
  }

  save(tx: Tx, order: Order, announce: Announcement): Promise<void> {
    return this.saveMany(tx, [{ order, announce }]);
  }

  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<Order | null> {
    return this.one(`${ORDER_SELECT} WHERE o.user_id = $1 AND o.idempotency_key = $2`, [userId, idempotencyKey]);
  }

  async findOwned(userId: string, orderId: string): Promise<Order | null> {
    return this.one(`${ORDER_SELECT} WHERE o.id = $2 AND o.user_id = $1`, [userId, orderId]);
  }

  async findForUpdate(tx: Tx, orderId: string, options: { skipLocked?: boolean } = {}): Promise<Order | null> {
    const lock = options.skipLocked ? 'FOR UPDATE OF o, s SKIP LOCKED' : 'FOR UPDATE OF o, s';
    const { rows } = await execute(tx, `${ORDER_SELECT} WHERE o.id = $1 ${lock}`, [orderId]);
    return rows.length ? OrderMapper.fromRow(rows[0] as OrderRow) : null;
  }

  async takeInAndLock(tx: Tx, eventId: string, orderId: string): Promise<{ order: Order | null; takenIn: boolean }> {
    const found = (await this.takeInAndLockMany(tx, [{ eventId, orderId }])).get(orderId.toLowerCase());
    return { order: found?.order ?? null, takenIn: found?.takenIn.has(eventId.toLowerCase()) ?? false };
  }

  async takeInAndLockMany(
    tx: Tx,
    arrivals: { eventId: string; orderId: string }[],
  ): Promise<Map<string, { order: Order; takenIn: Set<string> }>> {
    // Two phases, each in a fixed order, so that two batches sharing events or orders wait for each other
    // instead of deadlocking: first every inbox row, in event id order (the `count(*) FROM i` condition is
    // an init plan, so the insert completes before the first order row is even read), then the orders,
    // locked in id order (FOR UPDATE locks after the sort).
    const { rows } = await execute(
      tx,
      `WITH e AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS e (event_id, order_id)
       ), i AS (
         INSERT INTO ordering.inbox (event_id, consumer)
         SELECT DISTINCT event_id, 'ordering' FROM e ORDER BY event_id
         ON CONFLICT DO NOTHING RETURNING event_id
       ), q AS (
         ${ORDER_SELECT} WHERE o.id IN (SELECT order_id FROM e) AND (SELECT count(*) FROM i) >= 0
         ORDER BY o.id FOR UPDATE OF o, s
       )
       SELECT q.*, ARRAY(SELECT DISTINCT e.event_id::text FROM i JOIN e USING (event_id) WHERE e.order_id = q.id)
         AS taken_in
       FROM q`,
      [arrivals.map((a) => a.eventId.toLowerCase()), arrivals.map((a) => a.orderId.toLowerCase())],
    );
    return new Map(
      (rows as (OrderRow & { taken_in: string[] })[]).map((row) => [
        row.id,
        { order: OrderMapper.fromRow(row), takenIn: new Set(row.taken_in) },
      ]),
    );
  }

  async saveMany(tx: Tx, changes: { order: Order; announce: Announcement }[]): Promise<void> {
    if (changes.length === 0) return;
    const snapshots = changes.map((c) => c.order.snapshot());
    const announcements = changes.map((c) => c.announce).filter((a) => a.events.length > 0);
    const outbox = announcements.length ? this.outbox.announcementsCte(announcements, { firstParam: 13 }) : null;
    const column = <T>(pick: (o: (typeof snapshots)[number]) => T) => snapshots.map(pick);
    // Every order's status, saga state and events in one statement (as `save`, for a batch).
    await execute(
      tx,
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[],
           $7::boolean[], $8::boolean[], $9::boolean[], $10::int[], $11::timestamptz[], $12::text[])
           AS v (id, status, cancellation_reason, updated_at, step, payment_token, charge_requested,
             release_pending, refund_pending, attempts, next_attempt_at, last_error)
       ), o AS (
         UPDATE ordering.orders t SET status = v.status, cancellation_reason = v.cancellation_reason,
           updated_at = v.updated_at
         FROM v WHERE t.id = v.id
       )${outbox ? `, ${outbox.sql}` : ''}
       UPDATE ordering.order_sagas t SET step = v.step, payment_token = v.payment_token,
         charge_requested = v.charge_requested, release_pending = v.release_pending,
         refund_pending = v.refund_pending, attempts = v.attempts, next_attempt_at = v.next_attempt_at,
         last_error = v.last_error
       FROM v WHERE t.order_id = v.id`,
      [
        column((o) => o.id),
        column((o) => o.status),
        column((o) => o.cancellationReason),
        column((o) => o.updatedAt),
        ...sagaStateColumns(snapshots),
        column((o) => o.saga.lastError),
        ...(outbox?.params ?? []),
      ],
    );
  }

  async listOwned(userId: string, limit: number, after: OrderCursorKey | null): Promise<Order[]> {
    const rows: OrderRow[] = await this.dataSource.query(
      `${ORDER_SELECT}
       WHERE o.user_id = $1 AND ($3::timestamptz IS NULL OR (o.created_at, o.id) < ($3::timestamptz, $4::uuid))
       ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
      [userId, limit, after?.createdAt ?? null, after?.id ?? null],
    );
    return rows.map((row) => OrderMapper.fromRow(row));
  }

  async dueSagas(now: Date, limit: number): Promise<string[]> {
    const rows: { order_id: string }[] = await this.dataSource.query(
      `SELECT order_id FROM ordering.order_sagas WHERE next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.order_id);
  }

  private async one(sql: string, params: unknown[]): Promise<Order | null> {
    const rows: OrderRow[] = await this.dataSource.query(sql, params);
    return rows.length ? OrderMapper.fromRow(rows[0]) : null;
  }
}
