import Fastify, { type FastifyInstance } from 'fastify';
import type { LevelWithSilent } from 'pino';
import { createPino, FicusLogger, registerRequestLog } from './ficus-logger.js';
import { registerRequestContext, withCorrelationId } from './request-context.js';

type Line = Record<string, unknown>;

function capture(level: LevelWithSilent = 'info'): { logger: FicusLogger; lines: Line[] } {
  const lines: Line[] = [];
  const logger = new FicusLogger(createPino(level, { write: (s: string) => void lines.push(JSON.parse(s) as Line) }));
  return { logger, lines };
}

async function appWith(logger: FicusLogger): Promise<FastifyInstance> {
  const app = Fastify({ genReqId: (req) => String(req.headers['x-request-id'] ?? 'generated') });
  registerRequestContext(app);
  registerRequestLog(app, logger);
  app.post('/orders', async (request) => {
    // As an in-process contract call does: a microtask hop and awaits before logging.
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
    logger.log({ event: 'order.placed', body: request.body }, 'placed', 'Orders');
    return { ok: true };
  });
  app.get('/boom', async () => {
    logger.error(new Error('kaput'), 'Boom');
    throw new Error('kaput');
  });
  app.get('/health/ready', async () => ({ status: 'ok' }));
  await app.ready();
  return app;
}

describe('FicusLogger and the request context', () => {
  it('binds the request correlation id to lines logged after the body was read and across awaits', async () => {
    const { logger, lines } = capture();
    const app = await appWith(logger);
    // Over a real socket: the body arrives in socket events, outside the context bound in onRequest.
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'x-request-id': 'req-1', 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ sku: 'a' }),
    });
    expect(res.status).toBe(200);
    await app.close();
    const placed = lines.find((l) => l.event === 'order.placed');
    expect(placed).toMatchObject({ level: 'info', correlationId: 'req-1', context: 'Orders', msg: 'placed' });
    expect(placed).toMatchObject({ service: 'ficus' });
  });

  it('keeps concurrent requests apart', async () => {
    const { logger, lines } = capture();
    const app = await appWith(logger);
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        app.inject({ method: 'POST', url: '/orders', headers: { 'x-request-id': id }, payload: { sku: id } }),
      ),
    );
    await app.close();
    for (const line of lines.filter((l) => l.event === 'order.placed')) {
      expect(line.correlationId).toBe((line.body as { sku: string }).sku);
    }
  });

  it('writes one request line at info, an errored one for a 5xx, and none for probes', async () => {
    const { logger, lines } = capture();
    const app = await appWith(logger);
    await app.inject({ method: 'POST', url: '/orders?x=1', headers: { 'x-request-id': 'r1' }, payload: {} });
    await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'r2' } });
    await app.inject({ method: 'GET', url: '/health/ready' });
    await app.close();
    const requestLines = lines.filter((l) => String(l.msg).startsWith('request '));
    expect(requestLines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        correlationId: 'r1',
        req: { method: 'POST', url: '/orders?x=1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({
        level: 'error',
        msg: 'request errored',
        correlationId: 'r2',
        res: { statusCode: 500 },
      }),
    ]);
    expect(lines.find((l) => l.context === 'Boom')).toMatchObject({ correlationId: 'r2', err: { message: 'kaput' } });
  });

  it('adds no request line below info', async () => {
    const { logger, lines } = capture('warn');
    const app = await appWith(logger);
    await app.inject({ method: 'POST', url: '/orders', payload: {} });
    await app.close();
    expect(lines).toEqual([]);
  });

  it('redacts passwords and tokens wherever they are logged', () => {
    const { logger, lines } = capture();
    logger.log({ event: 'x', body: { password: 'hunter22', refreshToken: 'r', accessToken: 'a', email: 'e' } }, 'Auth');
    expect(lines[0]!.body).toEqual({
      password: '[redacted]',
      refreshToken: '[redacted]',
      accessToken: '[redacted]',
      email: 'e',
    });
  });

  it('binds a contract call correlation id outside any request, and an explicit one wins', () => {
    const { logger, lines } = capture();
    withCorrelationId('call-9', () => {
      logger.warn('slow', 'Catalog');
      logger.log({ event: 'rpc.handled', correlationId: 'caller-1' }, 'Rpc');
    });
    logger.log('outside', 'Boot');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'slow', correlationId: 'call-9', context: 'Catalog' }),
      expect.objectContaining({ event: 'rpc.handled', correlationId: 'caller-1' }),
      expect.not.objectContaining({ correlationId: expect.anything() }),
    ]);
  });

  it('turns Nest exception handlers (message, stack) into an err with that stack', () => {
    const { logger, lines } = capture();
    logger.error('Unhandled', 'Error: x\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ context: 'ExceptionsHandler', err: { message: 'Unhandled' } });
    expect(String((lines[0]!.err as { stack: string }).stack)).toContain('at somewhere');
  });
});
