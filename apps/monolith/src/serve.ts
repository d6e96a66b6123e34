import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { CONTEXT_NAMES } from '@ficus/contracts';
import { ConfigError, loadConfig, setupDatabase } from '@ficus/platform';
import { createApp } from './app.factory.js';
import { seedOnFirstStart } from './seed/seed-on-start.js';

/**
 * The monolith's start (entry: main.ts): validate configuration, make sure the database, schemas and roles exist, build the app
 * (each context migrates itself), listen, then seed an empty database. Seeding comes after listening
 * because it goes through the contexts' APIs, and an extracted context may start after the monolith: the
 * API serves (and readiness reports the missing context) while the seed waits for it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  await setupDatabase(config.database.url, CONTEXT_NAMES);
  const app = await createApp();
  await app.listen({ port: config.port, host: config.host });
  const url = await app.getUrl();
  const logger = new Logger('Bootstrap');
  logger.log(
    { event: 'app.listening', url, startupMs: Math.round(performance.now()) },
    `Ficus is listening on ${url} (docs at ${url}/docs)`,
  );
  if (config.seedOnStart) {
    await seedOnFirstStart(app).catch((error: unknown) =>
      logger.error({ event: 'seed.failed', err: error }, 'Seeding failed; it runs again on the next start'),
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Ficus failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
