/**
 * A tiny two-context Nest app for the outbox tests: `catalog` produces `catalog.test-happened.v1`,
 * `notifications` consumes it through its inbox into `notifications.effects`. Both are real contexts with
 * no module of their own yet, so their schemas and roles exist in every test database.
 */
import { Controller, type DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken, InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { defineEvent, type IntegrationEvent, type SubscriptionRegistry } from '@ficus/contracts';
import {
  ContextDataModule,
  createFastifyAdapter,
  Inbox,
  InProcessServer,
  loadConfig,
  OutboxRelay,
  outboxRelayToken,
  OutboxWriter,
  PlatformModule,
  startInProcessTransport,
} from '@ficus/platform';
import { useTestEnv } from '@ficus/platform/testing';

export interface TestPayload {
  tag: string;
}
export const TEST_EVENT = defineEvent<TestPayload>('catalog', 'catalog.test-happened.v1');
const SUBSCRIPTIONS: SubscriptionRegistry = { [TEST_EVENT.name]: ['notifications'] };

/**
 * What the consumer's handler saw, shared by every app instance of a test file. `behaviour` runs inside
 * the inbox transaction after the effect row is written: throwing rolls both back.
 */
export class Probe {
  readonly calls = new Map<string, number>();
  readonly times = new Map<string, number[]>();
  readonly byApp = new Map<string, number>();
  behaviour: (event: IntegrationEvent<TestPayload>, call: number) => void = () => undefined;

  record(event: IntegrationEvent, app: string): number {
    const n = (this.calls.get(event.id) ?? 0) + 1;
    this.calls.set(event.id, n);
    this.times.set(event.id, [...(this.times.get(event.id) ?? []), Date.now()]);
    this.byApp.set(app, (this.byApp.get(app) ?? 0) + 1);
    return n;
  }
}

const PROBE = Symbol('probe');
const APP_LABEL = Symbol('app-label');

class CreateEffects1800000000000 implements MigrationInterface {
  name = 'CreateEffects1800000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE notifications.effects (event_id uuid NOT NULL, n int NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications.effects');
  }
}

/** Thrown by a publish asked to roll back, carrying the ids the writer handed out before it did. */
export class RolledBack extends Error {
  constructor(readonly ids: string[]) {
    super('rolled back on purpose');
  }
}

/** The producer's use case: a state change would go here, its event goes into the outbox. */
@Injectable()
export class TestProducer {
  constructor(
    private readonly outbox: OutboxWriter,
    @InjectDataSource('catalog') readonly dataSource: DataSource,
  ) {}

  /** Appends `tags.length` events in one transaction; `rollback` throws after appending. */
  async publish(tags: string[], options: { rollback?: boolean } = {}): Promise<string[]> {
    let ids: string[] = [];
    await this.dataSource.transaction(async (manager) => {
      const events = tags.map((tag) => ({ definition: TEST_EVENT, aggregateId: `agg-${tag}`, payload: { tag } }));
      ids = await this.outbox.append(manager, { correlationId: `corr-${tags[0]}` }, ...events);
      if (options.rollback) throw new RolledBack(ids);
    });
    return ids;
  }
}

@Module({
  imports: [
    ContextDataModule.forContext({ context: 'catalog', entities: [], migrations: [], subscriptions: SUBSCRIPTIONS }),
  ],
  providers: [TestProducer],
})
class ProducerModule {}

@Controller()
class TestConsumerController {
  constructor(
    private readonly inbox: Inbox,
    @Inject(PROBE) private readonly probe: Probe,
    @Inject(APP_LABEL) private readonly app: string,
  ) {}

  @EventPattern<Record<string, IntegrationEvent<TestPayload>>>(TEST_EVENT.name, { consumer: 'notifications' })
  async onTestHappened(@Payload() event: IntegrationEvent<TestPayload>): Promise<void> {
    const call = this.probe.record(event, this.app);
    await this.inbox.runOnce(event, async (manager) => {
      await manager.query('INSERT INTO notifications.effects (event_id, n) VALUES ($1, $2)', [event.id, call]);
      this.probe.behaviour(event, call);
    });
  }
}

@Module({
  imports: [
    ContextDataModule.forContext({ context: 'notifications', entities: [], migrations: [CreateEffects1800000000000] }),
  ],
  controllers: [TestConsumerController],
})
class ConsumerModule {}

@Module({})
class ProbeModule {}

@Module({})
class TestRootModule {}

export interface OutboxTestApp {
  app: NestFastifyApplication;
  producer: TestProducer;
  catalog: DataSource;
  notifications: DataSource;
  server: InProcessServer;
  relay: OutboxRelay;
  close(): Promise<void>;
}

/** Which contexts the app hosts: both (events in-process), or one side (events through the queue). */
export type Hosted = 'both' | 'producer' | 'consumer';

/** Boots producer and/or consumer with the in-process transport; relays start on `init`. */
export async function startOutboxApp(
  databaseUrl: string,
  probe: Probe,
  label: string,
  env: Record<string, string> = {},
  hosted: Hosted = 'both',
): Promise<OutboxTestApp> {
  await useTestEnv(databaseUrl, env);
  const probeModule: DynamicModule = {
    module: ProbeModule,
    global: true,
    providers: [
      { provide: PROBE, useValue: probe },
      { provide: APP_LABEL, useValue: label },
    ],
    exports: [PROBE, APP_LABEL],
  };
  const root: DynamicModule = {
    module: TestRootModule,
    imports: [
      PlatformModule,
      probeModule,
      ...(hosted === 'consumer' ? [] : [ProducerModule]),
      ...(hosted === 'producer' ? [] : [ConsumerModule]),
    ],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, createFastifyAdapter(loadConfig()), {
    logger: false,
    abortOnError: false, // a failed boot throws instead of exiting the test process
  });
  await startInProcessTransport(app);
  await app.init();
  return {
    app,
    producer: optional(() => app.get(TestProducer, { strict: false })),
    catalog: optional(() => app.get<DataSource>(getDataSourceToken('catalog'), { strict: false })),
    notifications: optional(() => app.get<DataSource>(getDataSourceToken('notifications'), { strict: false })),
    server: app.get(InProcessServer),
    relay: optional(() => app.get<OutboxRelay>(outboxRelayToken('catalog'), { strict: false })),
    close: () => app.close(),
  };
}

/** A side the app does not host is simply absent (the test knows which side it started). */
function optional<T>(get: () => T): T {
  try {
    return get();
  } catch {
    return undefined as T;
  }
}

/** Polls `check` until it returns a truthy value or the deadline passes (then fails with `what`). */
export async function waitFor<T>(what: string, check: () => Promise<T>, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resolves once the relay's pass in flight (if any) is over; peeks at its private state, tests only. */
export async function relayIdle(relay: OutboxRelay): Promise<void> {
  await (relay as unknown as { running?: Promise<void> }).running;
}

/** Effect rows per event id, from the consumer's own schema. */
export async function effectCounts(notifications: DataSource, ids: string[]): Promise<Map<string, number>> {
  const rows: { event_id: string; n: number }[] = await notifications.query(
    'SELECT event_id, count(*)::int AS n FROM notifications.effects WHERE event_id = ANY($1::uuid[]) GROUP BY event_id',
    [ids],
  );
  return new Map(rows.map((r) => [r.event_id, r.n]));
}

export async function deliveryOf(catalog: DataSource, eventId: string) {
  const [row]: { status: string; attempts: number; last_error: string | null }[] = await catalog.query(
    'SELECT status, attempts, last_error FROM catalog.outbox_delivery WHERE event_id = $1 AND subscriber = $2',
    [eventId, 'notifications'],
  );
  return row;
}
