import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { TransactionRunner, Tx } from '../../domain/ports.js';

/** The domain's opaque `Tx` is a TypeORM EntityManager bound to one transaction. */
export const asManager = (tx: Tx): EntityManager => tx as unknown as EntityManager;

export class TypeOrmTransactionRunner implements TransactionRunner {
  constructor(@InjectDataSource('media') private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager as unknown as Tx));
  }
}
