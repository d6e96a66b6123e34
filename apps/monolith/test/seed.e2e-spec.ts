import { Writable } from 'node:stream';
import { SEED_ADMIN_EMAIL, seedOnFirstStart } from '../src/seed/seed-on-start.js';
import { call, type RunningApp, startTestApp } from './e2e-harness.js';

/** Collects what the seed prints. */
function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('seeding an empty database on first start', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('seed');
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  it('creates the admin (credentials printed once) and a demo catalog, and does nothing the second time', async () => {
    const first = sink();
    expect(await seedOnFirstStart(t.app, { out: first.stream })).toEqual({ admin: true, catalog: true, skipped: [] });
    const password = /password: (\S+)/.exec(first.text())?.[1];
    expect(password).toBeDefined();
    expect(first.text()).toContain('demo catalog: 5 categories, 50 products');

    const login = await call(t.url, 'POST', '/v1/auth/login', { body: { email: SEED_ADMIN_EMAIL, password } });
    expect(login.status).toBe(200);
    expect(login.body.user.roles).toEqual(['customer', 'admin']);
    const categories = await call(t.url, 'GET', '/v1/categories');
    expect(categories.body.items).toHaveLength(5);
    const page = await call(t.url, 'GET', '/v1/products?limit=100');
    expect(page.body.items).toHaveLength(50);
    expect(page.body.items.every((p: { sku: string }) => p.sku.startsWith('DEMO-'))).toBe(true);

    const second = sink();
    expect(await seedOnFirstStart(t.app, { out: second.stream })).toEqual({
      admin: false,
      catalog: false,
      skipped: [],
    });
    expect(second.text()).toBe('');
    expect((await call(t.url, 'GET', '/v1/products?limit=100')).body.items).toHaveLength(50);
  });
});

describe('seeding when an extracted context is not up yet', () => {
  let t: RunningApp;
  beforeAll(async () => {
    // Catalog is extracted but its host is not started: the monolith must still come up and serve.
    t = await startTestApp(
      'seed-remote',
      { CONTEXT_CALL_TIMEOUT_MS: '300', CONTEXT_BREAKER_THRESHOLD: '2', CONTEXT_BREAKER_COOLDOWN_S: '1' },
      ['catalog'],
      'no-hosts',
    );
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  it('seeds what it can, skips the missing context with a warning, and readiness names it', async () => {
    const out = sink();
    const outcome = await seedOnFirstStart(t.app, { out: out.stream, waitForContextMs: 1000 });
    expect(outcome).toEqual({ admin: true, catalog: false, skipped: ['catalog'] });
    expect(out.text()).toContain(SEED_ADMIN_EMAIL);
    const ready = await call(t.url, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details['context.catalog'].status).toBe('down');
    // The API itself is up: identity (in-process) answers.
    expect((await call(t.url, 'GET', '/v1/me')).status).toBe(401);
  });

  it('waits for a context that comes up while it retries, then seeds it', async () => {
    const out = sink();
    const seeding = seedOnFirstStart(t.app, { out: out.stream, waitForContextMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await t.startHost('catalog');
    expect(await seeding).toEqual({ admin: false, catalog: true, skipped: [] });
    expect(out.text()).toContain('demo catalog: 5 categories, 50 products');
    expect((await call(t.url, 'GET', '/v1/categories')).body.items).toHaveLength(5);
  }, 40_000);
});
