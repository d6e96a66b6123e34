import { call, ALL_CONTEXTS, type RunningApp, startTestApp } from './e2e-harness.js';

/**
 * Extraction in any start order: the facade is up, every context is extracted, and requests arrive before
 * any host has started. They wait in the contexts' Redis queues and are answered correctly once the hosts
 * come up — a host never takes a request before its handlers are registered.
 */
describe('requests sent before the extracted contexts start', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('start-order', { CONTEXT_CALL_TIMEOUT_MS: '20000' }, ALL_CONTEXTS, 'no-hosts');
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  }, 30_000);

  it('are answered by the hosts once they are up, not with a 5xx', async () => {
    const waiting = [
      call(t.url, 'GET', '/v1/categories'),
      call(t.url, 'GET', '/v1/products?limit=5'),
      call(t.url, 'POST', '/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong password' } }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const context of [...ALL_CONTEXTS].reverse()) await t.startHost(context);
    const [categories, products, login] = await Promise.all(waiting);
    expect(categories.status).toBe(200);
    expect(categories.body.items).toEqual([]);
    expect(products.status).toBe(200);
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('INVALID_CREDENTIALS');
  }, 60_000);
});
