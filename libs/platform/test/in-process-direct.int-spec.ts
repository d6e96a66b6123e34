import { type CanActivate, Controller, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString, MaxLength } from 'class-validator';
import type { ContractMessage } from '@ficus/contracts';
import {
  ContextClientFactory,
  ContractPayload,
  currentCorrelationId,
  InProcessServer,
  PlatformModule,
  startInProcessTransport,
} from '@ficus/platform';
import { contractFailure, useTestEnv } from '@ficus/platform/testing';

// The in-process transport's direct path (in-process.direct.ts) must answer exactly what Nest's
// microservice pipeline answers: same results, same validation and error bodies. Each case runs against
// two apps, one with the direct path and one without (FICUS_IN_PROCESS_DIRECT=false).

const ECHO = 'catalog.probe-echo.v1';
const FAIL = 'catalog.probe-fail.v1';
const GUARDED = 'catalog.probe-guarded.v1';
const ADMIN_DB = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const meta = { correlationId: 'direct-test', actor: null };

class EchoMessage {
  @IsString()
  @MaxLength(20)
  text!: string;
}

class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class ProbeController {
  @MessagePattern(ECHO)
  echo(@ContractPayload(EchoMessage) { data, meta: m }: ContractMessage<EchoMessage>) {
    return {
      text: data.text,
      isDto: data instanceof EchoMessage,
      metaId: m.correlationId,
      bound: currentCorrelationId(),
    };
  }

  @MessagePattern(FAIL)
  fail(@ContractPayload(EchoMessage) _msg: ContractMessage<EchoMessage>): never {
    throw new Error('internal detail that must not cross');
  }

  @MessagePattern(GUARDED)
  @UseGuards(DenyAll)
  guarded(@ContractPayload(EchoMessage) { data }: ContractMessage<EchoMessage>) {
    return data.text;
  }
}

async function start(direct: boolean): Promise<NestFastifyApplication> {
  await useTestEnv(ADMIN_DB, { FICUS_REMOTE_CONTEXTS: '', FICUS_IN_PROCESS_DIRECT: direct ? 'true' : 'false' });
  @Module({ imports: [PlatformModule], controllers: [ProbeController] })
  class ProbeModule {}
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  await startInProcessTransport(app);
  return app;
}

describe('in-process contract calls: the direct path answers as Nest pipeline does', () => {
  const apps: Record<'direct' | 'nest', NestFastifyApplication> = {} as never;
  const send = (which: 'direct' | 'nest', pattern: string, data: unknown) =>
    apps[which].get(ContextClientFactory).get('catalog').send(pattern, data, meta);

  beforeAll(async () => {
    apps.direct = await start(true);
    apps.nest = await start(false);
  }, 30_000);
  afterAll(async () => {
    await apps.direct?.close();
    await apps.nest?.close();
  });

  it('takes the direct path only for handlers without guards, interceptors, pipes or filters of their own', () => {
    const server = apps.direct.get(InProcessServer);
    expect(server.takesDirectPath(ECHO)).toBe(true);
    expect(server.takesDirectPath(FAIL)).toBe(true);
    expect(server.takesDirectPath(GUARDED)).toBe(false);
    expect(apps.nest.get(InProcessServer).takesDirectPath(ECHO)).toBe(false);
  });

  it('validates the payload into the DTO and binds the caller correlation id on both paths', async () => {
    const expected = { text: 'hi', isDto: true, metaId: 'direct-test', bound: 'direct-test' };
    expect(await send('direct', ECHO, { text: 'hi' })).toEqual(expected);
    expect(await send('nest', ECHO, { text: 'hi' })).toEqual(expected);
  });

  it.each([
    ['a field too long', { text: 'x'.repeat(21) }],
    ['an unknown field', { text: 'ok', extra: 1 }],
    ['a NUL character', { text: 'a\u0000b' }],
    ['no data', undefined],
  ])('refuses %s with the same error body on both paths', async (_case, data) => {
    const direct = await contractFailure(send('direct', ECHO, data));
    expect(direct).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(direct).toEqual(await contractFailure(send('nest', ECHO, data)));
  });

  it('answers an unexpected error with the same generic body on both paths', async () => {
    const direct = await contractFailure(send('direct', FAIL, { text: 'x' }));
    expect(direct).toMatchObject({ status: 500 });
    expect(JSON.stringify(direct)).not.toContain('internal detail');
    expect(direct).toEqual(await contractFailure(send('nest', FAIL, { text: 'x' })));
  });

  it('still runs a handler guard through Nest pipeline', async () => {
    const direct = await contractFailure(send('direct', GUARDED, { text: 'x' }));
    expect(direct).toEqual(await contractFailure(send('nest', GUARDED, { text: 'x' })));
  });
});
