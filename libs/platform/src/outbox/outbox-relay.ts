import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { ContextName, IntegrationEvent, SubscriptionRegistry } from '@ficus/contracts';
import { outboxDeliveries, outboxDeliveryLag } from '../metrics/metrics.js';
import { recordCompletedJobs } from './outbox-completions.js';
import * as sql from './outbox.sql.js';
import { OUTBOX_CHANNEL } from './outbox-writer.js';
import {
  backoffMs,
  type EventDispatcher,
  type OutboxBacklog,
  type RelayOptions,
  type RemoteDelivery,
} from './outbox-relay.types.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const RECONCILE_BATCH = 500;
const RECONCILE_MAX_BATCHES_PER_TICK = 20;
const RELISTEN_DELAY_MS = 1000;
/** A lane holds at most this many passes' worth (OUTBOX_BATCH_SIZE) of one subscriber's deliveries. */
const LANE_PASSES = 2;

export * from './outbox-relay.types.js';

/**
 * Moves a context's outbox to its subscribers. Woken by `NOTIFY` after each commit, with a polling
 * fallback for a lost notification or a retry that came due. Every step claims rows with
 * `FOR UPDATE SKIP LOCKED` and a lease, so any number of relays (replicas) can run at once and each
 * delivery goes to one of them; a relay that dies mid-flight loses its lease and another one retries.
 *
 * **Lanes.** In-process deliveries run in one lane per subscriber, and a pass does not wait for them: the
 * next pass fans out and claims while they run, so a slow subscriber (notifications working off a burst)
 * no longer holds up a fast one (ordering's saga) behind the same outbox, and a subscriber's next batch
 * is claimed while its previous one runs. A lane takes at most `LANE_PASSES` × OUTBOX_BATCH_SIZE
 * deliveries at a time; while it is full, new deliveries to that subscriber are written unclaimed and
 * taken by a later pass once the lane has room (bounded memory, and another replica may take them).
 * Deliveries are at least once and unordered across passes, as across replicas: consumers take events
 * in through their inbox and act on persisted state.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly schema: string;
  private listener?: pg.Client;
  private pollTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private reconcileTimer?: NodeJS.Timeout;
  private reconciling?: Promise<unknown>;
  private running?: Promise<void>;
  private completions: (() => void)[] = [];
  private recordingCompletions: Promise<void> = Promise.resolve();
  private wakeAgain = false;
  private stopped = true;
  /** In-process deliveries running per subscriber, their keys, and the lanes' promises (see Lanes). */
  private readonly laneLoad = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly lanes = new Set<Promise<void>>();
  /** Subscribers whose lane was full at a pass: deliveries were left for them, so a freed lane kicks. */
  private readonly starved = new Set<string>();

  constructor(
    readonly context: ContextName,
    readonly dataSource: DataSource,
    private readonly listenUrl: string,
    private readonly subscriptions: SubscriptionRegistry,
    private readonly dispatcher: EventDispatcher,
    private readonly options: RelayOptions,
    private readonly remote?: RemoteDelivery,
  ) {
    this.schema = context;
    this.logger = new Logger(`OutboxRelay:${context}`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.pollTimer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pollTimer.unref();
    this.pruneTimer.unref();
    if (this.remote) {
      for (const subscriber of this.remoteSubscribers()) {
        this.completions.push(this.remote.queues.onCompleted(subscriber, (jobIds) => this.recordCompleted(jobIds)));
      }
      this.reconcileTimer = setInterval(() => {
        this.reconciling ??= this.reconcile().finally(() => (this.reconciling = undefined));
      }, this.remote.reconcileEveryMs);
      this.reconcileTimer.unref();
    }
    this.kick();
  }

  /** Stops waking, waits for the pass in flight, and closes the listening connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.pruneTimer);
    clearInterval(this.reconcileTimer);
    this.completions.splice(0).forEach((unsubscribe) => unsubscribe());
    await Promise.all([this.running, this.reconciling, this.recordingCompletions]);
    await Promise.all([...this.lanes]);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Requests a pass; passes never overlap within one relay, and a kick during a pass causes another. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = this.runPasses().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * Runs passes, and waits for their deliveries, until nothing is left to do now; returns how much was
   * done (events fanned out plus deliveries attempted).
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.passOnce();
      total += n;
      if (n > 0) continue;
      if (this.lanes.size === 0) return total;
      await Promise.all([...this.lanes]);
    }
  }

  /** Rows not yet delivered, for readiness and metrics. */
  /** Undelivered work by state; `late` counts what has waited on this relay for over `lateAfterMs`. */
  async backlog(lateAfterMs: number): Promise<OutboxBacklog> {
    const [row] = await this.dataSource.query(sql.backlog(this.schema), [lateAfterMs]);
    return {
      unfanned: row.unfanned,
      pending: row.pending,
      enqueued: row.enqueued,
      parked: row.parked,
      late: row.late,
      oldestUnfannedMs: Math.round(Number(row.oldest_unfanned_ms ?? 0)),
    };
  }

  async prune(): Promise<number> {
    try {
      const [row] = await this.dataSource.query(sql.pruneDelivered(this.schema), [this.options.retentionHours]);
      return row.n as number;
    } catch (error) {
      this.logger.warn({ event: 'outbox.prune-failed', err: error }, 'pruning the outbox failed');
      return 0;
    }
  }

  private async runPasses(): Promise<void> {
    try {
      do {
        this.wakeAgain = false;
        while (!this.stopped && (await this.passOnce()) > 0);
      } while (this.wakeAgain && !this.stopped);
    } catch (error) {
      // The database may be briefly away; the next poll tries again.
      this.logger.warn({ event: 'outbox.pass-failed', err: error }, 'outbox relay pass failed');
    }
  }

  /**
   * One pass; returns how much it did (events fanned out plus deliveries attempted), 0 when idle. Remote
   * deliveries are enqueued before it returns; in-process ones are handed to their lanes.
   */
  private async passOnce(): Promise<number> {
    const full = this.fullLanes();
    const { events, claimed: fresh } = await this.fanOut(full);
    const due: sql.ClaimedDelivery[] = await this.dataSource.query(sql.claimDue(this.schema), [
      this.options.batchSize,
      this.options.leaseMs,
      full,
    ]);
    const isRemote = (d: sql.ClaimedDelivery) => this.remote !== undefined && !this.remote.isLocal(d.subscriber);
    this.startLanes([...fresh, ...due].filter((d) => !isRemote(d)));
    // Fresh remote deliveries cannot have a job yet: they go to their queues in bulk, without a state check.
    await Promise.all([this.enqueueFresh(fresh.filter(isRemote)), ...due.filter(isRemote).map((d) => this.enqueue(d))]);
    return events + fresh.length + due.length;
  }

  /** Subscribers whose lane cannot take another pass's worth now. */
  private fullLanes(): string[] {
    const limit = this.options.batchSize * LANE_PASSES;
    const full = [...this.laneLoad].filter(([, load]) => load >= limit).map(([subscriber]) => subscriber);
    for (const subscriber of full) this.starved.add(subscriber);
    return full;
  }

  /**
   * Runs in-process deliveries, one lane per subscriber, without waiting for them; each group's handled
   * deliveries are recorded in one statement when it ends. A delivery this relay is still running (its
   * lease ran out and a pass claimed it again) is not started twice.
   */
  private startLanes(deliveries: sql.ClaimedDelivery[]): void {
    const bySubscriber = new Map<string, sql.ClaimedDelivery[]>();
    for (const d of deliveries) {
      const key = `${d.event_id}|${d.subscriber}`;
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      bySubscriber.set(d.subscriber, [...(bySubscriber.get(d.subscriber) ?? []), d]);
    }
    for (const [subscriber, group] of bySubscriber) {
      this.laneLoad.set(subscriber, (this.laneLoad.get(subscriber) ?? 0) + group.length);
      const delivered: sql.ClaimedDelivery[] = [];
      const lane: Promise<void> = Promise.all(group.map((d) => this.dispatch(d, delivered)))
        .then(() => this.markDelivered(delivered))
        .finally(() => {
          for (const d of group) this.inFlight.delete(`${d.event_id}|${d.subscriber}`);
          const load = (this.laneLoad.get(subscriber) ?? group.length) - group.length;
          if (load > 0) this.laneLoad.set(subscriber, load);
          else this.laneLoad.delete(subscriber);
          this.lanes.delete(lane);
          if (this.starved.delete(subscriber)) this.kick();
        });
      this.lanes.add(lane);
    }
  }

  /**
   * Records the pass's handled deliveries in one statement. Should this fail (or the process die first),
   * they stay claimed until their lease runs out and are delivered again: the consumers' inboxes make
   * that harmless.
   */
  private async markDelivered(delivered: sql.ClaimedDelivery[]): Promise<void> {
    if (delivered.length === 0) return;
    try {
      await this.dataSource.query(sql.markManyDeliveredInProcess(this.schema), [
        delivered.map((d) => d.event_id),
        delivered.map((d) => d.subscriber),
      ]);
    } catch (error) {
      this.logger.warn({ event: 'outbox.mark-delivered-failed', err: error }, 'could not record delivered events');
      return;
    }
    for (const d of delivered) {
      outboxDeliveries.inc({ context: this.context, subscriber: d.subscriber, outcome: 'delivered' });
      outboxDeliveryLag.observe({ context: this.context }, (Date.now() - new Date(d.occurred_at).getTime()) / 1000);
    }
  }

  /** Expands new events into one delivery per subscriber, claimed by this relay in the same transaction. */
  private async fanOut(fullLanes: string[]): Promise<{ events: number; claimed: sql.ClaimedDelivery[] }> {
    return this.dataSource.transaction(async (tx) => {
      const events: { id: string; name: string }[] = await tx.query(sql.selectUnfanned(this.schema), [
        this.options.batchSize,
      ]);
      if (events.length === 0) return { events: 0, claimed: [] };
      const eventIds: string[] = [];
      const subscribers: string[] = [];
      for (const event of events) {
        for (const subscriber of this.subscriptions[event.name] ?? []) {
          eventIds.push(event.id);
          subscribers.push(subscriber);
        }
      }
      const claimed: sql.ClaimedDelivery[] = eventIds.length
        ? await tx.query(sql.insertClaimedDeliveries(this.schema), [
            eventIds,
            subscribers,
            this.options.leaseMs,
            fullLanes,
          ])
        : [];
      await tx.query(sql.markFannedOut(this.schema), [events.map((e) => e.id)]);
      return { events: events.length, claimed };
    });
  }

  private toEvent(d: sql.ClaimedDelivery): IntegrationEvent {
    return {
      id: d.event_id,
      name: d.name,
      occurredAt: new Date(d.occurred_at).toISOString(),
      aggregateId: d.aggregate_id,
      correlationId: d.correlation_id,
      source: this.context,
      payload: d.payload,
    };
  }

  /** Hands one delivery to its in-process subscriber; a handled one is added to `delivered`. */
  private async dispatch(d: sql.ClaimedDelivery, delivered: sql.ClaimedDelivery[]): Promise<void> {
    try {
      await this.dispatcher.deliver(this.toEvent(d), d.subscriber);
      delivered.push(d);
    } catch (error) {
      await this.recordFailure(d, error).catch((e: unknown) =>
        this.logger.error({ event: 'outbox.record-failure-failed', err: e }, 'could not record a failed delivery'),
      );
    }
  }

  /** Hands new deliveries to their subscribers' queues in one bulk add and one UPDATE. */
  private async enqueueFresh(deliveries: sql.ClaimedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    try {
      await this.remote!.queues.enqueueNew(
        deliveries.map((d) => ({ event: this.toEvent(d), subscriber: d.subscriber })),
      );
      await this.dataSource.query(sql.markManyEnqueued(this.schema), [
        deliveries.map((d) => d.event_id),
        deliveries.map((d) => d.subscriber),
        this.remote!.reconcileEveryMs,
      ]);
      for (const d of deliveries) {
        outboxDeliveries.inc({ context: this.context, subscriber: d.subscriber, outcome: 'enqueued' });
      }
    } catch (error) {
      await Promise.all(deliveries.map((d) => this.recordFailure(d, error).catch(() => undefined)));
    }
  }

  /** Hands the event to the subscriber's queue; the reconciler later learns how it went. */
  private async enqueue(d: sql.ClaimedDelivery): Promise<void> {
    try {
      await this.remote!.queues.enqueue(this.toEvent(d), d.subscriber);
      await this.dataSource.query(sql.markEnqueued(this.schema), [
        d.event_id,
        d.subscriber,
        this.remote!.reconcileEveryMs,
      ]);
      outboxDeliveries.inc({ context: this.context, subscriber: d.subscriber, outcome: 'enqueued' });
    } catch (error) {
      await this.recordFailure(d, error).catch(() => undefined);
    }
  }

  /** Subscribers of this context's events hosted in other processes (their queues' completions matter here). */
  private remoteSubscribers(): string[] {
    const found = new Set<string>();
    for (const [name, subscribers] of Object.entries(this.subscriptions)) {
      if (!name.startsWith(`${this.context}.`)) continue;
      for (const subscriber of subscribers) if (!this.remote!.isLocal(subscriber)) found.add(subscriber);
    }
    return [...found];
  }

  private recordCompleted(jobIds: string[]): void {
    this.recordingCompletions = this.recordingCompletions.then(() =>
      recordCompletedJobs(this.dataSource, this.context, jobIds).catch((error: unknown) =>
        // The reconciler reads these jobs' states back when they come due.
        this.logger.warn({ event: 'outbox.completions-failed', err: error }, 'recording completed deliveries failed'),
      ),
    );
  }

  /**
   * Reads back what the queues did with enqueued deliveries: completed → delivered, failed for good →
   * parked, unknown to Redis (flushed, restarted without persistence) → enqueued again.
   */
  async reconcile(): Promise<{ delivered: number; parked: number; requeued: number }> {
    const outcome = { delivered: 0, parked: 0, requeued: 0 };
    if (!this.remote) return outcome;
    try {
      // Drain what is due a batch at a time, so a burst never piles up behind the timer; bounded, because
      // jobs still waiting come due again every interval and a down consumer must not keep this busy.
      for (let batch = 0; batch < RECONCILE_MAX_BATCHES_PER_TICK; batch++) {
        const claimed: sql.ClaimedDelivery[] = await this.dataSource.query(sql.claimEnqueued(this.schema), [
          RECONCILE_BATCH,
          this.options.leaseMs,
        ]);
        await Promise.all(claimed.map((d) => this.reconcileOne(d, outcome)));
        if (claimed.length < RECONCILE_BATCH || this.stopped) break;
      }
    } catch (error) {
      this.logger.warn({ event: 'outbox.reconcile-failed', err: error }, 'reconciling enqueued deliveries failed');
    }
    return outcome;
  }

  private async reconcileOne(d: sql.ClaimedDelivery, outcome: { delivered: number; parked: number; requeued: number }) {
    const { queues, reconcileEveryMs } = this.remote!;
    const state = await queues.state(d.event_id, d.subscriber);
    if (state === 'completed') {
      await this.dataSource.query(sql.markDelivered(this.schema), [d.event_id, d.subscriber]);
      outcome.delivered++;
    } else if (state === 'failed') {
      const reason = await queues.failedReason(d.event_id, d.subscriber);
      await this.dataSource.query(sql.markFailed(this.schema), [d.event_id, d.subscriber, true, 0, reason]);
      outboxDeliveries.inc({ context: this.context, subscriber: d.subscriber, outcome: 'parked' });
      outcome.parked++;
    } else {
      if (state === 'unknown') {
        await queues.enqueue(this.toEvent(d), d.subscriber);
        outcome.requeued++;
      }
      await this.dataSource.query(sql.markEnqueued(this.schema), [d.event_id, d.subscriber, reconcileEveryMs]);
    }
  }

  private async recordFailure(d: sql.ClaimedDelivery, error: unknown): Promise<void> {
    const park = d.attempts >= this.options.maxAttempts;
    const delay = backoffMs(d.attempts, this.options.backoffBaseMs, this.options.backoffMaxMs);
    const message = describe(error);
    await this.dataSource.query(sql.markFailed(this.schema), [d.event_id, d.subscriber, park, delay, message]);
    outboxDeliveries.inc({ context: this.context, subscriber: d.subscriber, outcome: park ? 'parked' : 'failed' });
    const log = {
      event: park ? 'outbox.delivery-parked' : 'outbox.delivery-failed',
      correlationId: d.correlation_id,
      eventId: d.event_id,
      eventName: d.name,
      subscriber: d.subscriber,
      attempt: d.attempts,
      error: message,
    };
    if (park) {
      this.logger.error(log, `parked ${d.name} for ${d.subscriber} after ${d.attempts} attempts`);
      return;
    }
    this.logger.warn(log, `delivery of ${d.name} to ${d.subscriber} failed; retrying in ${delay} ms`);
    // Wake when the retry is due rather than at the next poll.
    setTimeout(() => this.kick(), delay + 5).unref();
  }

  /** A dedicated connection for LISTEN (a pooled one would lose it); it re-listens after a drop. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.listenUrl, application_name: `ficus-relay-${this.context}` });
    client.on('notification', (msg) => {
      if (msg.payload === this.context) this.kick();
    });
    client.on('error', (error) => {
      this.logger.warn({ event: 'outbox.listen-lost', err: error }, 'relay lost its LISTEN connection');
      void client.end().catch(() => undefined);
      if (this.listener === client) this.listener = undefined;
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), RELISTEN_DELAY_MS).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
      if (this.stopped) await this.stop();
    } catch (error) {
      // Polling still delivers; try LISTEN again shortly.
      this.logger.warn({ event: 'outbox.listen-failed', err: error }, 'relay could not LISTEN; polling only');
      await client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), RELISTEN_DELAY_MS).unref();
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error && 'detail' in error) return String((error as { detail: unknown }).detail);
  return String(error);
}
