import { CatalogPatterns, IdentityPatterns } from '@ficus/contracts';
import { InProcessServer, ShutdownState } from '@ficus/platform';
import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'code', 'traceId'];

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  for (const field of PROBLEM_FIELDS) expect(res.body).toHaveProperty(field);
  expect(res.body.status).toBe(status);
  expect(res.body.code).toBe(code);
  expect(res.body.traceId).toBe(res.headers.get('x-request-id'));
}

describe('HTTP conventions of the facade', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('http', { RATE_LIMIT_PER_IP_PER_MIN: '40' });
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  describe('bad input is a 4xx problem+json, never a 5xx', () => {
    it('malformed JSON → 400 MALFORMED_REQUEST', async () => {
      const res = await call(t.url, 'POST', '/v1/auth/login', {
        raw: '{"email": "a@example.com",',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'MALFORMED_REQUEST');
    });

    it('a JSON body that is not an object → 400', async () => {
      for (const raw of ['[]', '"text"', '42', 'null']) {
        const res = await call(t.url, 'POST', '/v1/auth/login', {
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(400);
      }
    });

    it('a body over 1 MiB → 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await call(t.url, 'POST', '/v1/auth/register', {
        body: { email: 'big@example.com', password: 'x'.repeat(1024 * 1024 + 10), name: 'Big' },
      });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it.each([['text/plain'], ['application/xml'], ['application/x-www-form-urlencoded']])(
      'content type %s → 415 UNSUPPORTED_MEDIA_TYPE',
      async (type) => {
        const res = await call(t.url, 'POST', '/v1/auth/login', { raw: 'email=a', headers: { 'content-type': type } });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('an unknown route → 404 NOT_FOUND', async () => {
      expectProblem(await call(t.url, 'GET', '/v1/nothing-here'), 404, 'NOT_FOUND');
      expectProblem(await call(t.url, 'GET', '/v2/me'), 404, 'NOT_FOUND');
    });

    it('a bad Authorization header shape → 401', async () => {
      const res = await call(t.url, 'GET', '/v1/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expectProblem(res, 401, 'UNAUTHENTICATED');
    });
  });

  describe('correlation', () => {
    it('echoes a plain X-Request-Id and uses it as the problem traceId', async () => {
      const res = await call(t.url, 'GET', '/v1/me', { headers: { 'x-request-id': 'client-req-123' } });
      expect(res.headers.get('x-request-id')).toBe('client-req-123');
      expect(res.body.traceId).toBe('client-req-123');
    });

    it('replaces an unsafe X-Request-Id with a generated one', async () => {
      const res = await call(t.url, 'GET', '/v1/categories', { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('generates an id when none is sent', async () => {
      const a = await call(t.url, 'GET', '/v1/categories');
      const b = await call(t.url, 'GET', '/v1/categories');
      expect(a.headers.get('x-request-id')).toBeTruthy();
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    });
  });

  it("calls in-process contexts' handlers directly, not through Nest's microservice pipeline", () => {
    // Every global guard, interceptor and filter of the monolith is marked @NoOpForInProcessCalls: an
    // unmarked one would send every call back through Nest (in-process.direct.ts).
    const server = t.app.get(InProcessServer);
    expect(server.takesDirectPath(IdentityPatterns.getUserConditional)).toBe(true);
    expect(server.takesDirectPath(CatalogPatterns.getProduct)).toBe(true);
  });

  describe('operations endpoints', () => {
    it('/health/live answers 200 without checking dependencies', async () => {
      const res = await call(t.url, 'GET', '/health/live');
      expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('/health/ready reports Postgres per context, Redis and the outbox', async () => {
      const res = await call(t.url, 'GET', '/health/ready');
      expect(res.status).toBe(200);
      expect(res.body.details).toMatchObject({
        'postgres.identity': { status: 'up' },
        redis: { status: 'up' },
        outbox: { status: 'up' },
      });
    });

    it('/metrics exposes HTTP histograms and process metrics in Prometheus format', async () => {
      await call(t.url, 'GET', '/health/ready');
      const res = await fetch(`${t.url}/metrics`);
      const text = await res.text();
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(text).toMatch(/ficus_http_request_duration_seconds_bucket\{.*route="\/health\/ready".*status="200"/);
      // The liveness probe is answered before Fastify: no per-request work, not even a histogram sample.
      expect(text).not.toContain('route="/health/live"');
      expect(text).toContain('process_resident_memory_bytes');
    });

    it('serves the OpenAPI document describing the identity routes', async () => {
      const res = await call(t.url, 'GET', '/docs-json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/auth/register',
          '/v1/auth/login',
          '/v1/auth/refresh',
          '/v1/auth/logout',
          '/v1/me',
        ]),
      );
      expect(res.body.components.schemas).toHaveProperty('ProblemResponseDto');
    });

    it('sends security headers and the request id, except on the liveness probe', async () => {
      for (const path of ['/v1/categories', '/health/ready', '/v1/no-such-route']) {
        const res = await call(t.url, 'GET', path);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('strict-transport-security')).toBeTruthy();
      }
      const live = await call(t.url, 'GET', '/health/live');
      expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(live.headers.get('content-security-policy')).toBeNull();
      expect(live.headers.get('x-request-id')).toBeNull();
      expect(live.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers the liveness probe with a query string or HEAD through Fastify, the same way', async () => {
      const withQuery = await call(t.url, 'GET', '/health/live?probe=1');
      expect(withQuery).toMatchObject({ status: 200, body: { status: 'ok' } });
      const head = await fetch(`${t.url}/health/live`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toContain('application/json');
    });
  });

  describe('rate limiting per IP (anonymous)', () => {
    it('answers 429 with Retry-After and RateLimit-* headers once the budget is spent', async () => {
      let last;
      for (let i = 0; i < 45; i++) {
        last = await call(t.url, 'POST', '/v1/auth/login', { body: { email: uniqueEmail(), password: 'whatever12' } });
        if (last.status === 429) break;
        expect(last.headers.get('ratelimit-limit')).toBe('40');
        expect(last.headers.get('x-ratelimit-limit')).toBeNull();
      }
      expectProblem(last!, 429, 'RATE_LIMITED');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.headers.get('ratelimit-limit')).toBe('40');
      expect(last!.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(last!.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      // 40 logins hash 40 passwords (argon2): seconds on a busy machine, not a measurement.
    }, 30_000);
  });

  it('turns readiness to 503 as soon as shutdown begins', async () => {
    t.app.get(ShutdownState).beginShutdown();
    const res = await call(t.url, 'GET', '/health/ready');
    expect(res.status).toBe(503);
    expect((await call(t.url, 'GET', '/health/live')).status).toBe(200);
  });
});

describe('with Redis unreachable', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('noredis', { REDIS_URL: 'redis://127.0.0.1:1' });
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is not ready, but keeps serving the API (the rate limiter fails open)', async () => {
    const ready = await call(t.url, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.redis.status).toBe('down');
    const reg = await call(t.url, 'POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), password: 'correct horse battery', name: 'Offline' },
    });
    expect(reg.status).toBe(201);
  });
});
