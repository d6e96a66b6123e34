import { type DynamicModule, type INestApplication, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ContextName, ContractErrorBody } from '@ficus/contracts';
import { ContractCallError } from '../errors/domain-error.js';
import { loadConfig } from '../config/ficus.config.js';
import { ContextClient } from '../messaging/context-client.js';
import { ContextClientFactory } from '../messaging/context-client.factory.js';
import { startInProcessTransport } from '../messaging/in-process.bootstrap.js';
import { RedisRpcServer } from '../messaging/redis/redis-rpc.server.js';
import { PlatformModule } from '../platform.module.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { useTestEnv } from './test-env.js';

/**
 * How the context under test is reached: hosted in the caller's process, or in a host over Ficus's Redis
 * transport. `redis-stock` (Nest's own `Transport.REDIS` on both sides) is not part of the parity suite; it
 * shows that handlers stay plain `@MessagePattern` methods any Nest transport can serve.
 */
export type ContractMode = 'in-process' | 'redis' | 'redis-stock';
export const CONTRACT_MODES: ContractMode[] = ['in-process', 'redis'];

export interface ContractHarness {
  client: ContextClient;
  close(): Promise<void>;
}

const quiet = { logger: false as const, abortOnError: false };

/**
 * Runs one context behind `ContextClient` in the given mode, against a fresh database, so a context's
 * contract suite can assert the same inputs give the same outputs and error codes over every transport.
 * In `redis` mode the context runs in its own Nest microservice (`RedisRpcServer`) and the caller's
 * process hosts nothing but the client, exactly as with `FICUS_REMOTE_CONTEXTS`.
 */
export async function startContractHarness(
  context: ContextName,
  contextModule: Type | DynamicModule,
  mode: ContractMode,
): Promise<ContractHarness> {
  const db: TestDatabase = await createTestDatabase(`${context}-${mode}`);
  await useTestEnv(db.url, { FICUS_REMOTE_CONTEXTS: mode === 'in-process' ? '' : context });
  let host: INestMicroservice | undefined;
  let caller: INestApplication;
  let stockClient: ContextClient | undefined;

  if (mode !== 'in-process') {
    @Module({ imports: [PlatformModule, contextModule] })
    class HostModule {}
    const { redis, messaging } = loadConfig();
    const url = new URL(redis.url);
    const stock = { host: url.hostname, port: Number(url.port || 6379), retryAttempts: 5, retryDelay: 200 };
    host = await NestFactory.createMicroservice(
      HostModule,
      mode === 'redis'
        ? {
            ...quiet,
            strategy: new RedisRpcServer({ url: redis.url, keyPrefix: redis.keyPrefix, contexts: [context] }),
          }
        : { ...quiet, transport: Transport.REDIS, options: stock },
    );
    await host.listen();
    if (mode === 'redis-stock') {
      const proxy = ClientProxyFactory.create({ transport: Transport.REDIS, options: stock });
      stockClient = new ContextClient(context, proxy, messaging.callTimeoutMs);
    }
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

  const client = stockClient ?? caller.get(ContextClientFactory).get(context);
  return {
    client,
    close: async () => {
      await stockClient?.close();
      await caller.close();
      await host?.close();
      await db.drop();
    },
  };
}

/** Awaits a contract call that must fail and returns the error body it failed with. */
export async function contractFailure(promise: Promise<unknown>): Promise<ContractErrorBody> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ContractCallError) return error.body;
    throw error;
  }
  throw new Error('expected the call to fail');
}
