import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource, MigrationInterface } from 'typeorm';
import { type ContextName, EVENT_SUBSCRIPTIONS, type SubscriptionRegistry } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { InProcessServer } from '../messaging/in-process.server.js';
import { EventQueues } from '../outbox/event-queues.js';
import { Inbox } from '../outbox/inbox.js';
import { messagingTablesMigration } from '../outbox/messaging-tables.migration.js';
import { OutboxRegistry } from '../outbox/outbox-registry.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { OutboxWriter } from '../outbox/outbox-writer.js';
import { contextDatabaseUrl } from './database-urls.js';
import { SchemaMigrator } from './schema-migrator.js';

export interface ContextDataOptions {
  context: ContextName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  /** The context's own migrations, oldest first; the outbox/inbox tables come before them. */
  migrations: (new () => MigrationInterface)[];
  /** Who consumes which of this context's events; tests pass their own. Defaults to EVENT_SUBSCRIPTIONS. */
  subscriptions?: SubscriptionRegistry;
}

/** Token under which a context's relay is provided (for health checks and the CLI). */
export const outboxRelayToken = (context: ContextName) => `ficus.outbox-relay.${context}`;

/** Starts the relay once the app is up (handlers registered) and stops it before pools close. */
class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly enabled: boolean,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled) await this.relay.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/**
 * Everything a context needs to own its data: a TypeORM DataSource connected as the context's own role
 * with its schema as search path, its migrations (after the shared outbox/inbox tables), the outbox
 * writer, the inbox, and the relay that delivers its events.
 */
@Module({})
export class ContextDataModule {
  static forContext(options: ContextDataOptions): DynamicModule {
    const { context } = options;
    const dataSourceToken = getDataSourceToken(context);
    const relayToken = outboxRelayToken(context);
    return {
      module: ContextDataModule,
      imports: [
        TypeOrmModule.forRootAsync({
          name: context,
          inject: [ficusConfig.KEY],
          useFactory: (config: FicusConfig) => ({
            type: 'postgres' as const,
            name: context,
            url: contextDatabaseUrl(config, context),
            schema: context,
            entities: options.entities,
            migrations: [messagingTablesMigration(context), ...options.migrations],
            migrationsTableName: 'migrations',
            migrationsRun: false,
            synchronize: false,
            poolSize: config.database.poolSize,
            extra: { options: `-c search_path=${context}`, application_name: `ficus-${context}` },
            retryAttempts: 3,
            retryDelay: 500,
          }),
        }),
        TypeOrmModule.forFeature(options.entities, context),
      ],
      providers: [
        { provide: OutboxWriter, useValue: new OutboxWriter(context) },
        {
          provide: Inbox,
          inject: [dataSourceToken, ficusConfig.KEY],
          useFactory: (ds: DataSource, config: FicusConfig) =>
            new Inbox(context, ds, {
              batchMax: config.outbox.inboxBatchMax,
              // Two connections stay free for the context's other work (requests, its jobs).
              flushes: Math.max(1, Math.min(config.outbox.inboxFlushes, config.database.poolSize - 2)),
            }),
        },
        {
          provide: SchemaMigrator,
          inject: [dataSourceToken],
          useFactory: (ds: DataSource) => SchemaMigrator.migrated(context, ds),
        },
        {
          provide: relayToken,
          inject: [dataSourceToken, ficusConfig.KEY, InProcessServer, OutboxRegistry, EventQueues],
          useFactory: (
            ds: DataSource,
            config: FicusConfig,
            server: InProcessServer,
            registry: OutboxRegistry,
            queues: EventQueues,
          ) => {
            const relay = new OutboxRelay(
              context,
              ds,
              contextDatabaseUrl(config, context),
              options.subscriptions ?? EVENT_SUBSCRIPTIONS,
              server,
              config.outbox,
              {
                queues,
                isLocal: (subscriber) => registry.get(subscriber as ContextName) !== undefined,
                reconcileEveryMs: config.outbox.reconcileEveryMs,
              },
            );
            registry.add(relay);
            return relay;
          },
        },
        {
          provide: RelayLifecycle,
          inject: [relayToken, ficusConfig.KEY],
          useFactory: (relay: OutboxRelay, config: FicusConfig) =>
            new RelayLifecycle(relay, config.outbox.relayEnabled),
        },
      ],
      exports: [TypeOrmModule, OutboxWriter, Inbox, relayToken],
    };
  }
}
