import { type DynamicModule, type INestApplication, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ContextName, ContractErrorBody } from '@ficus/contracts';
import { ContractCallError } from '../errors/domain-error.js';
import { loadConfig } from '../config/ficus.config.js';
import { ContextClient } from '../messaging/context-client.js';
import { ContextClientFactory, HostedContextsModule } from '../messaging/context-client.factory.js';
import { InProcessServer } from '../messaging/in-process.server.js';
import { RedisRpcServer } from '../messaging/redis/redis-rpc.server.js';
import { PlatformModule } from '../platform.module.js';
import { loadContextModule } from './context-modules.js';
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
  /** A client of another context hosted for the suite (a companion), as the context under test calls it. */
  clientOf(context: ContextName): ContextClient;
  /** The superuser URL of the suite's database, for assertions on tables. */
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * A context the one under test calls (ordering calls catalog and payments), hosted for the suite: by name
 * (the built context, see `loadContextModule`) or as a module of the test's own (a controllable double).
 */
export interface CompanionContext {
  context: ContextName;
  module: Type | DynamicModule;
}

export interface ContractHarnessOptions {
  /**
   * Contexts the one under test calls through their contracts. They run beside the caller: in-process in
   * `in-process` mode; in `redis` mode in the caller's process too but served over Redis, so the context
   * under test (in its own host) reaches them, and they reach it, across the transport both ways.
   */
  companions?: (ContextName | CompanionContext)[];
  /** Extra environment for the suite (set before anything starts). */
  env?: Record<string, string>;
}

const quiet = { logger: false as const, abortOnError: false };

/**
 * Runs one context behind `ContextClient` in the given mode, against a fresh database, so a context's
 * contract suite can assert the same inputs give the same outputs and error codes over every transport.
 * In `redis` mode the context runs in its own host (`RedisRpcServer` for requests, the in-process
 * transport for the events it consumes, as `bootstrapContextHost` runs it) and the caller's process hosts
 * nothing but the client and the companions, exactly as with `FICUS_REMOTE_CONTEXTS`.
 */
export async function startContractHarness(
  context: ContextName,
  contextModule: Type | DynamicModule,
  mode: ContractMode,
  options: ContractHarnessOptions = {},
): Promise<ContractHarness> {
  const companions: CompanionContext[] = await Promise.all(
    (options.companions ?? []).map(async (c) =>
      typeof c === 'string' ? { context: c, module: await loadContextModule(c) } : c,
    ),
  );
  const db: TestDatabase = await createTestDatabase(`${context}-${mode}`);
  await useTestEnv(db.url, { ...options.env, FICUS_REMOTE_CONTEXTS: mode === 'in-process' ? '' : context });
  let host: INestApplication | INestMicroservice | undefined;
  let stockClient: ContextClient | undefined;
  const { redis, messaging } = loadConfig();

  if (mode === 'redis') {
    @Module({ imports: [PlatformModule, HostedContextsModule.only([context]), contextModule] })
    class HostModule {}
    const app = await NestFactory.create(HostModule, new FastifyAdapter(), quiet);
    app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
    app.connectMicroservice(
      { strategy: new RedisRpcServer({ url: redis.url, keyPrefix: redis.keyPrefix, contexts: [context] }) },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
    await app.init();
    host = app;
  } else if (mode === 'redis-stock') {
    @Module({ imports: [PlatformModule, contextModule] })
    class HostModule {}
    const url = new URL(redis.url);
    const stock = { host: url.hostname, port: Number(url.port || 6379), retryAttempts: 5, retryDelay: 200 };
    host = await NestFactory.createMicroservice(HostModule, { ...quiet, transport: Transport.REDIS, options: stock });
    await host.listen();
    const proxy = ClientProxyFactory.create({ transport: Transport.REDIS, options: stock });
    stockClient = new ContextClient(context, proxy, messaging.callTimeoutMs);
  }

  const hostedHere = mode === 'in-process' ? [contextModule] : [];
  @Module({ imports: [PlatformModule, ...hostedHere, ...companions.map((c) => c.module)] })
  class CallerModule {}
  const caller = await NestFactory.create(CallerModule, new FastifyAdapter(), quiet);
  if (mode === 'in-process' || companions.length) {
    caller.connectMicroservice({ strategy: caller.get(InProcessServer) }, { inheritAppConfig: true });
  }
  if (mode !== 'in-process' && companions.length) {
    const served = companions.map((c) => c.context);
    caller.connectMicroservice(
      { strategy: new RedisRpcServer({ url: redis.url, keyPrefix: redis.keyPrefix, contexts: served }) },
      { inheritAppConfig: true },
    );
  }
  await caller.startAllMicroservices();
  await caller.init();

  const factory = caller.get(ContextClientFactory);
  return {
    client: stockClient ?? factory.get(context),
    clientOf: (other) => factory.get(other),
    databaseUrl: db.url,
    close: async () => {
      await stockClient?.close();
      // The host first: the context under test may still be calling its companions (a saga step).
      await host?.close();
      await caller.close();
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
