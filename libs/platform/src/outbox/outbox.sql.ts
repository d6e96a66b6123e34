/**
 * The relay's SQL, one function per statement. UPDATEs are wrapped in CTEs so every statement returns
 * plain rows through `DataSource.query`.
 */
export interface ClaimedDelivery {
  event_id: string;
  subscriber: string;
  attempts: number;
  name: string;
  aggregate_id: string;
  correlation_id: string;
  payload: unknown;
  occurred_at: Date;
}

const DELIVERY_COLUMNS = `d.event_id, d.subscriber, d.attempts, o.name, o.aggregate_id, o.correlation_id, o.payload, o.occurred_at`;

/** Unfanned events, locked so a second relay skips them. */
export const selectUnfanned = (s: string) =>
  `SELECT id, name FROM "${s}".outbox WHERE fanned_out_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`;

/**
 * Inserts one delivery per (event, subscriber), already claimed by this relay (attempt 1, leased), and
 * returns them so they are dispatched without another round trip. Deliveries to the subscribers in `$4`
 * (whose lane in this relay is full) are inserted unclaimed and not returned: `claimDue` takes them once
 * their lane has room, here or in another replica.
 */
export const insertClaimedDeliveries = (s: string) => `
  WITH ins AS (
    INSERT INTO "${s}".outbox_delivery (event_id, subscriber, attempts, locked_until)
    SELECT e, sub, CASE WHEN sub = ANY($4::text[]) THEN 0 ELSE 1 END,
      CASE WHEN sub = ANY($4::text[]) THEN NULL
           ELSE clock_timestamp() + make_interval(secs => $3::double precision / 1000) END
    FROM unnest($1::uuid[], $2::text[]) AS t(e, sub)
    ON CONFLICT DO NOTHING
    RETURNING event_id, subscriber, attempts
  )
  SELECT ${DELIVERY_COLUMNS} FROM ins d JOIN "${s}".outbox o ON o.id = d.event_id WHERE d.attempts > 0`;

export const markFannedOut = (s: string) =>
  `UPDATE "${s}".outbox SET fanned_out_at = clock_timestamp() WHERE id = ANY($1::uuid[])`;

/**
 * Due deliveries whose lease is free: retries, first attempts of a relay that died mid-flight, and those
 * left for a full lane; none to the subscribers in `$3` (their lanes here are full).
 */
export const claimDue = (s: string) => `
  WITH due AS (
    SELECT event_id, subscriber FROM "${s}".outbox_delivery
    WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
      AND (locked_until IS NULL OR locked_until < clock_timestamp())
      AND NOT (subscriber = ANY($3::text[]))
    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
  ), upd AS (
    UPDATE "${s}".outbox_delivery d
    SET attempts = d.attempts + 1, locked_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000)
    FROM due WHERE d.event_id = due.event_id AND d.subscriber = due.subscriber
    RETURNING d.event_id, d.subscriber, d.attempts
  )
  SELECT ${DELIVERY_COLUMNS} FROM upd d JOIN "${s}".outbox o ON o.id = d.event_id`;

/**
 * Enqueued deliveries due for a check against the queue (the reconciler): the queue lives in Redis, which
 * may lose it, while this row is the source of truth.
 */
export const claimEnqueued = (s: string) => `
  WITH due AS (
    SELECT event_id, subscriber FROM "${s}".outbox_delivery
    WHERE status = 'enqueued' AND next_attempt_at <= clock_timestamp()
      AND (locked_until IS NULL OR locked_until < clock_timestamp())
    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
  ), upd AS (
    UPDATE "${s}".outbox_delivery d
    SET locked_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000)
    FROM due WHERE d.event_id = due.event_id AND d.subscriber = due.subscriber
    RETURNING d.event_id, d.subscriber, d.attempts
  )
  SELECT ${DELIVERY_COLUMNS} FROM upd d JOIN "${s}".outbox o ON o.id = d.event_id`;

/** Handed to the subscriber's queue; check on it again after $3 ms. */
export const markEnqueued = (s: string) => `
  WITH u AS (
    UPDATE "${s}".outbox_delivery SET status = 'enqueued', locked_until = NULL, last_error = NULL,
      next_attempt_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
    WHERE event_id = $1 AND subscriber = $2 AND status <> 'delivered' RETURNING 1
  ) SELECT count(*)::int AS n FROM u`;

/** The bulk form of `markEnqueued`, for the fresh deliveries of one pass. */
export const markManyEnqueued = (s: string) => `
  UPDATE "${s}".outbox_delivery d SET status = 'enqueued', locked_until = NULL, last_error = NULL,
    next_attempt_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
  FROM unnest($1::uuid[], $2::text[]) AS t(e, sub)
  WHERE d.event_id = t.e AND d.subscriber = t.sub AND d.status <> 'delivered'`;

/**
 * Deliveries whose queue job completed (BullMQ's completion events): delivered. A completion may arrive
 * before the relay recorded the hand-over (`pending`, still leased); it is delivered all the same, and the
 * `status <> 'delivered'` of the enqueued marks keeps it so. Parked ones stay parked (an operator decides).
 */
export const markManyDelivered = (s: string) => `
  WITH u AS (
    UPDATE "${s}".outbox_delivery d SET status = 'delivered', delivered_at = clock_timestamp(), locked_until = NULL,
      last_error = NULL
    FROM unnest($1::uuid[], $2::text[]) AS t(e, sub)
    WHERE d.event_id = t.e AND d.subscriber = t.sub AND d.status IN ('pending', 'enqueued')
    RETURNING d.subscriber
  ) SELECT subscriber, count(*)::int AS n FROM u GROUP BY subscriber`;

export const markDelivered = (s: string) => `
  WITH u AS (
    UPDATE "${s}".outbox_delivery SET status = 'delivered', delivered_at = clock_timestamp(), locked_until = NULL, last_error = NULL
    WHERE event_id = $1 AND subscriber = $2 RETURNING 1
  ) SELECT count(*)::int AS n FROM u`;

/** The bulk form of `markDelivered`, for the in-process deliveries of one relay pass (no count needed). */
export const markManyDeliveredInProcess = (s: string) => `
  UPDATE "${s}".outbox_delivery d
  SET status = 'delivered', delivered_at = clock_timestamp(), locked_until = NULL, last_error = NULL
  FROM unnest($1::uuid[], $2::text[]) AS t(e, sub)
  WHERE d.event_id = t.e AND d.subscriber = t.sub`;

/** A failed attempt: retry later with backoff, or park after the last attempt. */
export const markFailed = (s: string) => `
  WITH u AS (
    UPDATE "${s}".outbox_delivery
    SET status = CASE WHEN $3::boolean THEN 'parked' ELSE 'pending' END,
        next_attempt_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000),
        locked_until = NULL, last_error = left($5, 2000)
    WHERE event_id = $1 AND subscriber = $2 RETURNING 1
  ) SELECT count(*)::int AS n FROM u`;

/**
 * Undelivered work by state. `late` is what this process should have moved and has not, for longer than
 * $1 ms: events not fanned out, and pending deliveries due (not in backoff) but not taken. Deliveries
 * `enqueued` to another process's queue are not late here: they wait on that consumer, not on this relay.
 */
export const backlog = (s: string) => `
  SELECT
    (SELECT count(*)::int FROM "${s}".outbox WHERE fanned_out_at IS NULL) AS unfanned,
    (SELECT count(*)::int FROM "${s}".outbox_delivery WHERE status = 'pending') AS pending,
    (SELECT count(*)::int FROM "${s}".outbox_delivery WHERE status = 'enqueued') AS enqueued,
    (SELECT count(*)::int FROM "${s}".outbox_delivery WHERE status = 'parked') AS parked,
    (SELECT count(*)::int FROM "${s}".outbox
      WHERE fanned_out_at IS NULL AND created_at < clock_timestamp() - make_interval(secs => $1::double precision / 1000))
    + (SELECT count(*)::int FROM "${s}".outbox_delivery
      WHERE status = 'pending' AND next_attempt_at < clock_timestamp() - make_interval(secs => $1::double precision / 1000))
      AS late,
    (SELECT extract(epoch FROM clock_timestamp() - min(created_at)) * 1000 FROM "${s}".outbox WHERE fanned_out_at IS NULL) AS oldest_unfanned_ms`;

export const listParked = (s: string) => `
  SELECT d.event_id, d.subscriber, d.attempts, d.last_error, o.name, o.occurred_at
  FROM "${s}".outbox_delivery d JOIN "${s}".outbox o ON o.id = d.event_id
  WHERE d.status = 'parked' ORDER BY o.created_at LIMIT $1`;

export const replayParked = (s: string) => `
  WITH u AS (
    UPDATE "${s}".outbox_delivery SET status = 'pending', attempts = 0, next_attempt_at = clock_timestamp(), locked_until = NULL
    WHERE status = 'parked' AND ($1::uuid IS NULL OR event_id = $1::uuid) AND ($2::text IS NULL OR subscriber = $2::text)
    RETURNING 1
  ) SELECT count(*)::int AS n FROM u`;

/**
 * Drops fully delivered events (their deliveries go by cascade). Inbox rows are kept: they are what makes
 * a very late duplicate harmless.
 */
export const pruneDelivered = (s: string) => `
  WITH gone AS (
    DELETE FROM "${s}".outbox o
    WHERE o.fanned_out_at < clock_timestamp() - make_interval(hours => $1)
      AND NOT EXISTS (SELECT 1 FROM "${s}".outbox_delivery d WHERE d.event_id = o.id AND d.status <> 'delivered')
    RETURNING 1
  ) SELECT count(*)::int AS n FROM gone`;
