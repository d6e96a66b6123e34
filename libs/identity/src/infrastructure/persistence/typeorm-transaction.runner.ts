import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CacheInvalidationBus } from '@ficus/platform';
import type { TransactionRunner, Tx } from '../../domain/ports.js';

/** The domain's opaque `Tx` is a TypeORM EntityManager bound to one transaction. */
export const asManager = (tx: Tx): EntityManager => tx as unknown as EntityManager;

/**
 * Transactions, and after each commit the eviction of the read models it changed (noted by the
 * repositories), here and in the other replicas, before the caller gets its answer.
 */
export class TypeOrmTransactionRunner implements TransactionRunner {
  constructor(
    @InjectDataSource('identity') private readonly dataSource: DataSource,
    private readonly caches: CacheInvalidationBus,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.caches.evictingAfterCommit(
      (inner: (manager: EntityManager) => Promise<T>) => this.dataSource.transaction(inner),
      (manager) => work(manager as unknown as Tx),
    );
  }
}
