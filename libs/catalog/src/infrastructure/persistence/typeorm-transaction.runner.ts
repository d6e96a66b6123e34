import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CacheInvalidationBus } from '@ficus/platform';
import type { TransactionRunner, Tx } from '../../domain/ports.js';

/** The domain's opaque `Tx` is a TypeORM EntityManager bound to one transaction. */
export const asManager = (tx: Tx): EntityManager => tx as unknown as EntityManager;

/** Runs SQL on the transaction's connection and answers rows and affected-row count alike. */
export async function execute(tx: Tx, sql: string, params: unknown[]): Promise<{ rows: any[]; affected: number }> {
  const result = await asManager(tx).queryRunner!.query(sql, params, true);
  return { rows: result.records ?? [], affected: result.affected ?? 0 };
}

/**
 * Transactions, and after each commit the eviction of the read models it changed (noted by the
 * repositories), here and in the other replicas, before the caller gets its answer.
 */
export class TypeOrmTransactionRunner implements TransactionRunner {
  constructor(
    @InjectDataSource('catalog') private readonly dataSource: DataSource,
    private readonly caches: CacheInvalidationBus,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.caches.evictingAfterCommit(
      (inner: (manager: EntityManager) => Promise<T>) => this.dataSource.transaction(inner),
      (manager) => work(manager as unknown as Tx),
    );
  }
}
