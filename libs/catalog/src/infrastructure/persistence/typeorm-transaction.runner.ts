import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { TransactionRunner, Tx } from '../../domain/ports.js';

/** The domain's opaque `Tx` is a TypeORM EntityManager bound to one transaction. */
export const asManager = (tx: Tx): EntityManager => tx as unknown as EntityManager;

/** Runs SQL on the transaction's connection and answers rows and affected-row count alike. */
export async function execute(tx: Tx, sql: string, params: unknown[]): Promise<{ rows: any[]; affected: number }> {
  const result = await asManager(tx).queryRunner!.query(sql, params, true);
  return { rows: result.records ?? [], affected: result.affected ?? 0 };
}

export class TypeOrmTransactionRunner implements TransactionRunner {
  constructor(@InjectDataSource('catalog') private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager as unknown as Tx));
  }
}
