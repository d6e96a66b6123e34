import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import { expectProblem } from './problem-assertions.js';
import { signTestToken, tamper } from './tokens.js';

const BOARD = '/admin/queues';
const SESSION = `${BOARD}/session`;

/** One real asset of the board's UI (its file names carry a content hash). */
function boardAsset(): string {
  const require = createRequire(import.meta.url);
  const ui = dirname(require.resolve('@bull-board/ui/package.json'));
  const js = readdirSync(join(ui, 'dist/static/js')).find((name) => name.endsWith('.js'))!;
  return `${BOARD}/static/js/${js}`;
}

/** Every kind of thing the board serves: its page, a UI route, an asset, its API (reads and writes), and a path it does not have. */
const BOARD_REQUESTS: [method: string, path: string][] = [
  ['GET', BOARD],
  ['GET', `${BOARD}/`],
  ['GET', `${BOARD}/queue/ie.ordering`],
  ['GET', boardAsset()],
  ['GET', `${BOARD}/api/queues`],
  ['GET', `${BOARD}/api/redis/stats`],
  ['PUT', `${BOARD}/api/queues/pause`],
  ['PUT', `${BOARD}/api/queues/idempotency-prune/clean/completed`],
  ['GET', `${BOARD}/no-such-thing`],
  ['GET', `/admin/%71ueues/api/queues`],
];

const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0]!;

/** Bull Board at /admin/queues behind the facade's bearer auth, and the cookie session browsers use. */
describe('Bull Board at /admin/queues', () => {
  let t: RunningApp;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    t = await startTestApp('queue-board', { TRUST_PROXY: 'true' });
    admin = await signTestToken({ sub: randomUUID(), roles: ['customer', 'admin'] });
    customer = await signTestToken({ sub: randomUUID() });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it.each(BOARD_REQUESTS)('answers %s %s anonymously with 401 and WWW-Authenticate: Bearer', async (method, path) => {
    const res = await call(t.url, method, path);
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each(BOARD_REQUESTS)('answers %s %s to a customer with 403', async (method, path) => {
    expectProblem(await call(t.url, method, path, { token: customer }), 403, 'FORBIDDEN');
  });

  it.each([
    ['tampered', () => tamper(admin)],
    ['expired', () => signTestToken({ sub: randomUUID(), roles: ['admin'], expSecondsFromNow: -5 })],
  ])('answers a %s admin token with 401 invalid_token', async (_, token) => {
    const res = await call(t.url, 'GET', `${BOARD}/api/queues`, { token: await token() });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('shows an admin the board, under the facade’s security headers', async () => {
    const res = await call(t.url, 'GET', BOARD, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await call(t.url, 'GET', boardAsset(), { token: admin })).status).toBe(200);
  });

  it('lists every BullMQ queue of the process: event queues, recurring jobs and notifications’ sends', async () => {
    const res = await call(t.url, 'GET', `${BOARD}/api/queues`, { token: admin });
    expect(res.status).toBe(200);
    const names = res.body.queues.map((queue: { name: string }) => queue.name);
    // ordering consumes payments' events (its queue ie.ordering); idempotency keys are pruned by a job, and
    // media sweeps raw uploads by one.
    expect(names).toEqual(
      expect.arrayContaining([
        'ie.ordering',
        'ie.notifications',
        'idempotency-prune',
        'media-upload-sweep',
        'notifications.email',
        'notifications.push',
        'notifications.sms',
      ]),
    );
  });

  describe('the session cookie for browsers (POST /admin/queues/session)', () => {
    it('is refused to anonymous callers (401) and customers (403)', async () => {
      const anonymous = await call(t.url, 'POST', SESSION);
      expectProblem(anonymous, 401, 'UNAUTHENTICATED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(anonymous.headers.get('set-cookie')).toBeNull();
      const asCustomer = await call(t.url, 'POST', SESSION, { token: customer });
      expectProblem(asCustomer, 403, 'FORBIDDEN');
      expect(asCustomer.headers.get('set-cookie')).toBeNull();
    });

    it('is set for an admin: HttpOnly, SameSite=Strict, scoped to the board, short-lived, Secure over HTTPS', async () => {
      const res = await call(t.url, 'POST', SESSION, { token: admin });
      expect(res.status).toBe(204);
      const attributes = res.headers.get('set-cookie')!.split('; ');
      expect(attributes[0]).toMatch(/^ficus_queues_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(attributes.slice(1)).toEqual([
        `Path=${BOARD}`,
        expect.stringMatching(/^Max-Age=\d+$/),
        'HttpOnly',
        'SameSite=Strict',
      ]);
      const maxAge = Number(attributes[2].split('=')[1]);
      expect(maxAge).toBeGreaterThan(800);
      expect(maxAge).toBeLessThanOrEqual(900);
      const https = await call(t.url, 'POST', SESSION, { token: admin, headers: { 'x-forwarded-proto': 'https' } });
      expect(https.headers.get('set-cookie')).toMatch(/; Secure$/);
    });

    it('opens the board, its API and its assets, and nothing else', async () => {
      const cookie = cookieOf(await call(t.url, 'POST', SESSION, { token: admin }));
      for (const path of [BOARD, `${BOARD}/api/queues`, boardAsset()]) {
        expect([path, (await call(t.url, 'GET', path, { headers: { cookie } })).status]).toEqual([path, 200]);
      }
      // Not a credential anywhere else: the API still wants the bearer token.
      expectProblem(await call(t.url, 'GET', '/v1/me', { headers: { cookie } }), 401, 'UNAUTHENTICATED');
      // A session cannot mint itself a new one.
      expectProblem(await call(t.url, 'POST', SESSION, { headers: { cookie } }), 401, 'UNAUTHENTICATED');
    });

    it('never outlives the access token it came from', async () => {
      const shortLived = await signTestToken({ sub: randomUUID(), roles: ['admin'], expSecondsFromNow: 2 });
      const res = await call(t.url, 'POST', SESSION, { token: shortLived });
      expect(res.headers.get('set-cookie')).toMatch(/Max-Age=[12];/);
      const cookie = cookieOf(res);
      expect((await call(t.url, 'GET', `${BOARD}/api/queues`, { headers: { cookie } })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expectProblem(await call(t.url, 'GET', `${BOARD}/api/queues`, { headers: { cookie } }), 401, 'UNAUTHENTICATED');
    });

    it('refuses a forged, tampered or malformed cookie', async () => {
      const cookie = cookieOf(await call(t.url, 'POST', SESSION, { token: admin }));
      const [name, value] = cookie.split('=');
      const [payload, signature] = value.split('.');
      const forgedPayload = Buffer.from(
        JSON.stringify({ sub: randomUUID(), roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 600 }),
      ).toString('base64url');
      for (const bad of [
        `${forgedPayload}.${signature}`,
        `${payload}.${tamper(`a.b.${signature}`).split('.')[2]}`,
        'x',
      ]) {
        const res = await call(t.url, 'GET', `${BOARD}/api/queues`, { headers: { cookie: `${name}=${bad}` } });
        expectProblem(res, 401, 'UNAUTHENTICATED');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('refuses a write carried by the cookie from another site', async () => {
      const cookie = cookieOf(await call(t.url, 'POST', SESSION, { token: admin }));
      const path = `${BOARD}/api/queues/idempotency-prune/clean/completed`;
      const crossSite = await call(t.url, 'PUT', path, { headers: { cookie, origin: 'https://evil.example' } });
      expectProblem(crossSite, 403, 'FORBIDDEN');
      const sameSite = await call(t.url, 'PUT', path, { headers: { cookie, origin: t.url } });
      expect(sameSite.status).toBe(200);
    });

    it('is cleared by DELETE, and the sign-in page is served to anyone', async () => {
      const cleared = await call(t.url, 'DELETE', SESSION);
      expect(cleared.status).toBe(204);
      expect(cleared.headers.get('set-cookie')).toMatch(/^ficus_queues_session=; Path=\/admin\/queues; Max-Age=0;/);
      const page = await call(t.url, 'GET', SESSION);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<form id="sign-in">');
    });
  });
});
