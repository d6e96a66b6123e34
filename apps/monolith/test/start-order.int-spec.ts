import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { CatalogPatterns, type CallMeta, IdentityPatterns } from '@ficus/contracts';
import { IdentityModule } from '@ficus/identity';
import {
  bootstrapContextHost,
  ContextClient,
  ContractCallError,
  loadConfig,
  RedisRpcClient,
  RedisRpcServer,
} from '@ficus/platform';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { createApp } from '../src/app.factory.js';
import { CONTEXT_MODULES } from '../src/app.module.js';

/**
 * Extraction must work in any start order: a request that waits in Redis while the process that serves
 * it starts is answered by the real handler once that process can run it (CQRS registers command and
 * query handlers in `app.init()`), never with the 500 of a handler that is not registered yet.
 */
const meta: CallMeta = { correlationId: 'start-order', actor: null };
let db: TestDatabase;
let client: ContextClient | undefined;
let redis: Redis | undefined;
const apps: { close(): Promise<unknown> }[] = [];

beforeEach(async () => {
  db = await createTestDatabase('start-order');
});
afterEach(async () => {
  await client?.close();
  await redis?.quit();
  for (const app of apps.splice(0).reverse()) await app.close();
  await db.drop();
  [client, redis] = [undefined, undefined];
});

/** A caller of `context` over Redis, as another process would be, with a deadline long enough to wait out a start. */
function remoteCaller(context: 'identity' | 'catalog'): ContextClient {
  const { url, keyPrefix } = loadConfig().redis;
  client = new ContextClient(context, new RedisRpcClient({ url, keyPrefix }), 30_000);
  redis = new Redis(url);
  return client;
}

/** Resolves once some request of this test waits in Redis (whatever structure the transport keeps it in). */
async function requestIsWaiting(): Promise<void> {
  const { keyPrefix } = loadConfig().redis;
  for (let i = 0; i < 200; i++) {
    let cursor = '0';
    do {
      const [next, keys] = await redis!.scan(cursor, 'MATCH', `${keyPrefix}:rpc:*`, 'COUNT', 1000);
      if (keys.length) return;
      cursor = next;
    } while (cursor !== '0');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the request never reached Redis');
}

async function outcome(call: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await call };
  } catch (error) {
    return error instanceof ContractCallError ? { error: error.body } : { error: String(error) };
  }
}

describe('start order of the processes that serve requests over Redis', () => {
  it('answers a query that waited while its context host started with the real handler, not a 500', async () => {
    await useTestEnv(db.url, { HEALTH_PORT: '0' });
    const call = outcome(remoteCaller('identity').send(IdentityPatterns.getUser, { userId: randomUUID() }, meta));
    await requestIsWaiting();
    apps.push(await bootstrapContextHost({ context: 'identity', module: IdentityModule }));
    expect(await call).toEqual({ error: expect.objectContaining({ code: 'USER_NOT_FOUND', status: 404 }) });
  }, 60_000);

  it('answers a query that waited while the monolith started, for a context it serves to extracted ones', async () => {
    await useTestEnv(db.url, { FICUS_REMOTE_CONTEXTS: 'identity' });
    const call = outcome(remoteCaller('catalog').send(CatalogPatterns.listCategories, {}, meta));
    await requestIsWaiting();
    apps.push(await createApp());
    expect(await call).toEqual({ value: { items: [] } });
  }, 60_000);

  it('serves nothing over Redis, and logs no Redis error, when every built context is remote', async () => {
    const remote = Object.keys(CONTEXT_MODULES).join(',');
    await useTestEnv(db.url, { FICUS_REMOTE_CONTEXTS: remote });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      const app: NestFastifyApplication = await createApp();
      apps.push(app);
      // Long enough for a server loop to have issued its first read (it fails at once without keys).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const strategies = app
        .getMicroservices()
        .map((m) => (m as unknown as { serverInstance: unknown }).serverInstance);
      expect(strategies.some((s) => s instanceof RedisRpcServer)).toBe(false);
      const logged = [...warn.mock.calls, ...error.mock.calls].map((args) => JSON.stringify(args[0]));
      expect(logged.filter((line) => line.includes('rpc.'))).toEqual([]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  }, 60_000);
});
