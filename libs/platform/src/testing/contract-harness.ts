import { type DynamicModule, type INestApplication, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ContextName } from '@ficus/contracts';
import { loadConfig } from '../config/ficus.config.js';
import { ContextClient } from '../messaging/context-client.js';
import { ContextClientFactory } from '../messaging/context-client.factory.js';
import { startInProcessTransport } from '../messaging/in-process.bootstrap.js';
import { PlatformModule } from '../platform.module.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { useTestEnv } from './test-env.js';

/** How the context under test is reached: hosted in the caller's process, or in a host over Redis. */
export type ContractMode = 'in-process' | 'redis';
export const CONTRACT_MODES: ContractMode[] = ['in-process', 'redis'];

export interface ContractHarness {
  client: ContextClient;
  close(): Promise<void>;
}

const quiet = { logger: false as const, abortOnError: false };

/**
 * Runs one context behind `ContextClient` in the given mode, against a fresh database, so a context's
 * contract suite can assert the same inputs give the same outputs and error codes over every transport.
 * In `redis` mode the context runs in its own Nest microservice (Nest's Redis transport) and the caller's
 * process hosts nothing but the client, exactly as with `FICUS_REMOTE_CONTEXTS`.
 */
export async function startContractHarness(
  context: ContextName,
  contextModule: Type | DynamicModule,
  mode: ContractMode,
): Promise<ContractHarness> {
  const db: TestDatabase = await createTestDatabase(`${context}-${mode}`);
  await useTestEnv(db.url, { FICUS_REMOTE_CONTEXTS: mode === 'redis' ? context : '' });
  let host: INestMicroservice | undefined;
  let caller: INestApplication;

  if (mode === 'redis') {
    @Module({ imports: [PlatformModule, contextModule] })
    class HostModule {}
    const url = new URL(loadConfig().redis.url);
    host = await NestFactory.createMicroservice(HostModule, {
      ...quiet,
      transport: Transport.REDIS,
      options: { host: url.hostname, port: Number(url.port || 6379), retryAttempts: 5, retryDelay: 200 },
    });
    await host.listen();
    @Module({ imports: [PlatformModule] })
    class CallerModule {}
    caller = await NestFactory.create(CallerModule, new FastifyAdapter(), quiet);
    await caller.init();
  } else {
    @Module({ imports: [PlatformModule, contextModule] })
    class InProcessModule {}
    caller = await NestFactory.create(InProcessModule, new FastifyAdapter(), quiet);
    await startInProcessTransport(caller);
    await caller.init();
  }

  const client = caller.get(ContextClientFactory).get(context);
  return {
    client,
    close: async () => {
      await caller.close();
      await host?.close();
      await db.drop();
    },
  };
}
