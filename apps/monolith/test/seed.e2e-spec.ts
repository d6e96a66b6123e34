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
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates the admin (credentials printed once) and a demo catalog, and does nothing the second time', async () => {
    const first = sink();
    expect(await seedOnFirstStart(t.app, first.stream)).toBe(true);
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
    expect(await seedOnFirstStart(t.app, second.stream)).toBe(false);
    expect(second.text()).toBe('');
    expect((await call(t.url, 'GET', '/v1/products?limit=100')).body.items).toHaveLength(50);
  });
});
