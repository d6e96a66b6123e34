import { Logger, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { SchemaOwner } from './database-urls.js';

/**
 * Runs a schema owner's migrations (a context's, or a platform schema's) on module init, under an advisory
 * lock, so replicas starting together migrate once.
 */
export class SchemaMigrator implements OnModuleInit {
  private readonly logger: Logger;
  constructor(
    private readonly owner: SchemaOwner,
    private readonly dataSource: DataSource,
  ) {
    this.logger = new Logger(`Migrations:${owner}`);
  }

  async onModuleInit(): Promise<void> {
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
