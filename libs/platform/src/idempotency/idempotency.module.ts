import {
  type BeforeApplicationShutdown,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { contextDatabaseUrl } from '../database/database-urls.js';
import { SchemaMigrator } from '../database/schema-migrator.js';
import { QueueRegistry } from '../jobs/queue-registry.js';
import { RecurringJob } from '../jobs/recurring-job.js';
import { CreateIdempotencyKeys1780000000000 } from './idempotency-keys.migration.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

const SCHEMA = 'idempotency';
/**
 * Every query of the key store is on a request's path: a stuck database must become a 503, not a hang.
 * Its statements are single-row or batched (and its one migration tiny), so 5 s is far above normal.
 */
const STATEMENT_TIMEOUT_MS = 5000;
/** BullMQ queue and job-scheduler id of the pruning job. */
export const IDEMPOTENCY_PRUNE_JOB = 'idempotency-prune';

/** Deletes expired keys on a BullMQ schedule shared by every replica (one run per interval in all). */
@Injectable()
class IdempotencyPruning implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private job?: RecurringJob;

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
    private readonly registry: QueueRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.idempotency.pruneIntervalMs;
    if (everyMs === 0) return;
    this.job = new RecurringJob({
      name: IDEMPOTENCY_PRUNE_JOB,
      everyMs,
      redisUrl: this.config.redis.url,
      prefix: `${this.config.redis.keyPrefix}:bull`,
      run: () => this.store.prune(),
      registry: this.registry,
    });
    this.job.start();
  }

  /** Before the DataSource closes, so no run is cut off mid-query. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.job?.close();
  }
}

/**
 * Idempotency-Key for the facade's creating POSTs (API.md "Idempotency"): import once in the HTTP app,
 * then mark routes with `@Idempotent()`. Keys live in the platform's own schema `idempotency`, owned by
 * role `ficus_idempotency` (created by setupDatabase, isolated like a context's schema), with its own
 * migration run under an advisory lock, so every replica shares them and they survive restarts.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: SCHEMA,
      inject: [ficusConfig.KEY],
      useFactory: (config: FicusConfig) => ({
        type: 'postgres' as const,
        name: SCHEMA,
        url: contextDatabaseUrl(config, SCHEMA),
        schema: SCHEMA,
        entities: [],
        migrations: [CreateIdempotencyKeys1780000000000],
        migrationsTableName: 'migrations',
        migrationsRun: false,
        synchronize: false,
        poolSize: config.database.poolSize,
        extra: {
          options: `-c search_path=${SCHEMA} -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
          application_name: `ficus-${SCHEMA}`,
        },
        retryAttempts: 3,
        retryDelay: 500,
      }),
    }),
  ],
  providers: [
    {
      provide: IdempotencyStore,
      inject: [getDataSourceToken(SCHEMA), ficusConfig.KEY],
      useFactory: (ds: DataSource, config: FicusConfig) => new IdempotencyStore(ds, config.idempotency),
    },
    {
      provide: SchemaMigrator,
      inject: [getDataSourceToken(SCHEMA)],
      useFactory: (ds: DataSource) => SchemaMigrator.migrated(SCHEMA, ds),
    },
    IdempotencyInterceptor,
    IdempotencyPruning,
  ],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}
