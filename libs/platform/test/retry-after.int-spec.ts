import { Controller, Get, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ContractErrorBody } from '@ficus/contracts';
import {
  ContextClientFactory,
  loadConfig,
  PlatformModule,
  RedisRpcServer,
  ServiceUnavailable,
  startInProcessTransport,
} from '@ficus/platform';
import { CONTRACT_MODES, contractFailure, type ContractMode, useTestEnv } from '@ficus/platform/testing';

// A context that is up but whose own dependency is not (payments with its provider breaker open, say)
// answers a typed 503 that carries the seconds left. Those seconds must survive the transport, in both
// modes, and a second hop, and come out as the facade's Retry-After header.

const UNAVAILABLE = 'payments.probe-unavailable.v1';
const RELAYED = 'ordering.probe-relayed.v1';
const ADMIN_DB = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const meta = { correlationId: 'retry-after-test', actor: null };

@Controller()
class DownstreamController {
  @MessagePattern(UNAVAILABLE)
  unavailable(): never {
    throw new ServiceUnavailable('The payment provider is unavailable.', 17.2);
  }
}

/** A context that calls another one and lets its typed failure through unchanged (a second hop). */
@Controller()
class RelayingController {
  constructor(private readonly clients: ContextClientFactory) {}
  @MessagePattern(RELAYED)
  relay() {
    return this.clients.get('payments').send(UNAVAILABLE, {}, meta);
  }
}

@Controller('probe')
class FacadeController {
  constructor(private readonly clients: ContextClientFactory) {}
  @Get('direct')
  direct() {
    return this.clients.get('payments').send(UNAVAILABLE, {}, meta);
  }
  @Get('relayed')
  relayed() {
    return this.clients.get('ordering').send(RELAYED, {}, meta);
  }
}

const quiet = { logger: false as const, abortOnError: false };

async function start(mode: ContractMode) {
  await useTestEnv(ADMIN_DB, { FICUS_REMOTE_CONTEXTS: mode === 'in-process' ? '' : 'payments,ordering' });
  const hosts: INestMicroservice[] = [];
  const controllers: Type[] = [FacadeController];
  if (mode === 'in-process') controllers.push(DownstreamController, RelayingController);
  else {
    const { redis } = loadConfig();
    for (const [context, controller] of [
      ['payments', DownstreamController],
      ['ordering', RelayingController],
    ] as const) {
      @Module({ imports: [PlatformModule], controllers: [controller] })
      class HostModule {}
      const strategy = new RedisRpcServer({ url: redis.url, keyPrefix: redis.keyPrefix, contexts: [context] });
      const host = await NestFactory.createMicroservice(HostModule, { ...quiet, strategy });
      await host.listen();
      hosts.push(host);
    }
  }
  @Module({ imports: [PlatformModule], controllers })
  class FacadeModule {}
  const app = await NestFactory.create<NestFastifyApplication>(FacadeModule, new FastifyAdapter(), quiet);
  if (mode === 'in-process') await startInProcessTransport(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    close: async () => {
      await app.close();
      for (const host of hosts) await host.close();
    },
  };
}

describe.each(CONTRACT_MODES)('a typed 503 with retry-after seconds (%s)', (mode) => {
  let t: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    t = await start(mode);
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reaches the caller with its seconds (rounded up) in the contract error body', async () => {
    const body: ContractErrorBody = await contractFailure(
      t.app.get(ContextClientFactory).get('payments').send(UNAVAILABLE, {}, meta),
    );
    expect(body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      kind: 'unavailable',
      retryAfterSeconds: 18,
    });
  });

  it.each(['direct', 'relayed'])('becomes 503 problem+json with Retry-After at the facade (%s)', async (route) => {
    const res = await t.app.inject({ method: 'GET', url: `/probe/${route}` });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('18');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detail: 'The payment provider is unavailable.' });
  });
});
