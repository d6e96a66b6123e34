import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { SchemaOwner } from './database-urls.js';

/**
 * Runs a schema owner's migrations (a context's, or a platform schema's) under an advisory lock, so
 * replicas starting together migrate once. Provided through `SchemaMigrator.migrated` (an async factory):
 * Nest resolves the modules' providers concurrently, so every context migrates at the same time, before any
 * module's init hook runs. (As an `onModuleInit` hook they ran one after another: Nest awaits the modules'
 * init hooks in sequence.)
 */
export class SchemaMigrator {
  /** A migrator that has run its migrations: the provider factory of each owner's `SchemaMigrator`. */
  static async migrated(owner: SchemaOwner, dataSource: DataSource): Promise<SchemaMigrator> {
    const migrator = new SchemaMigrator(owner, dataSource);
    await migrator.migrate();
    return migrator;
  }

  private readonly logger: Logger;
  constructor(
    private readonly owner: SchemaOwner,
    private readonly dataSource: DataSource,
  ) {
    this.logger = new Logger(`Migrations:${owner}`);
  }

  async migrate(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`ficus.migrate.${this.owner}`]);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) {
        this.logger.log({ event: 'migrations.applied', context: this.owner, migrations: applied.map((m) => m.name) });
      }
    } finally {
      await runner
        .query('SELECT pg_advisory_unlock(hashtext($1))', [`ficus.migrate.${this.owner}`])
        .catch(() => undefined);
      await runner.release();
    }
  }
}
