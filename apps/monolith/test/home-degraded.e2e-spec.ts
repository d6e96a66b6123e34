import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import { getHome, type HostProcess, registeredCustomer, spawnContextHost } from './home-fixtures.js';
import { ORDER_SUITE_ENV, placeOrder, shopFixture } from './orders-fixtures.js';

const DEADLINE_MS = 300;

/**
 * GET /v1/home when contexts misbehave, with nothing mocked: catalog runs in a host process of its own that
 * the test pauses with SIGSTOP (up, but answering nothing), ordering's host is stopped, and notifications is
 * extracted but never started. Each leaves only its own section empty; the answer stays 200 and in time.
 */
describe('GET /v1/home with a slow or down context', () => {
  let t: RunningApp;
  let catalogHost: HostProcess;
  let customer: { token: string };

  beforeAll(async () => {
    t = await startTestApp(
      'home-degraded',
      { ...ORDER_SUITE_ENV, HOME_SECTION_DEADLINE_MS: String(DEADLINE_MS), CONTEXT_BREAKER_THRESHOLD: '3' },
      ['catalog', 'ordering', 'notifications'],
      'no-hosts',
    );
    catalogHost = await spawnContextHost('catalog');
    await t.startHost('ordering');
    const shop = await shopFixture(t);
    const product = await shop.product(10);
    await shop.sql.end();
    customer = await registeredCustomer(t);
    const placed = await placeOrder(t, customer.token, {
      items: [{ productId: product.id, quantity: 1 }],
      paymentToken: 'tok_ok',
    });
    expect(placed.status).toBe(202);
  }, 180_000);
  afterAll(async () => {
    await catalogHost?.kill();
    await t?.close();
  });

  it('lists only the never-started notifications as degraded while catalog and ordering answer', async () => {
    const res = await getHome(t, customer.token);
    expect(res.status).toBe(200);
    expect(res.body.me).not.toBeNull();
    expect(res.body.featured).toHaveLength(1);
    expect(res.body.categories.length).toBeGreaterThan(0);
    expect(res.body.recentOrders).toHaveLength(1);
    expect(res.body.unreadNotifications).toBe(0);
    expect(res.body.degraded).toEqual(['notifications']);
  });

  it('answers 200 within the deadline with catalog’s sections empty while its host is paused (SIGSTOP)', async () => {
    catalogHost.pause();
    try {
      for (const token of [customer.token, undefined]) {
        const res = await getHome(t, token);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ categories: [], featured: [] });
        expect(res.body.degraded).toEqual(token ? ['catalog', 'notifications'] : ['catalog']);
        if (token) expect(res.body.recentOrders).toHaveLength(1);
        // The deadline plus room for a busy machine; a call waiting for the paused host would take 5 s.
        expect(res.ms).toBeLessThan(DEADLINE_MS + 1200);
      }
    } finally {
      catalogHost.resume();
    }
    // Resumed, catalog's sections come back (the requests it missed are dropped: their deadline passed).
    let res = await getHome(t);
    for (let i = 0; i < 50 && res.body.degraded.length; i++) res = await getHome(t);
    expect(res.body.degraded).toEqual([]);
    expect(res.body.featured).toHaveLength(1);
  }, 60_000);

  it('leaves recentOrders empty and names ordering when its host is stopped, and stays fast', async () => {
    await t.hosts.get('ordering')!.close();
    t.hosts.delete('ordering');
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await getHome(t, customer.token);
      timings.push(res.ms);
      expect(res.status).toBe(200);
      expect(res.body.recentOrders).toEqual([]);
      expect(res.body.degraded).toEqual(['ordering', 'notifications']);
      expect(res.body.me).not.toBeNull();
      expect(res.body.featured).toHaveLength(1);
    }
    // No call waited for the stopped host (that takes 5 s), and the median stays near the deadline; a single
    // call on a busy CI machine once took 2.7 s right after the host went away, so the max alone is not it.
    const sorted = [...timings].sort((a, b) => a - b);
    expect(sorted[sorted.length - 1]).toBeLessThan(4000);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(DEADLINE_MS + 1200);
    // The other routes of the stopped context answer 503 as before.
    expect((await call(t.url, 'GET', '/v1/orders', { token: customer.token })).status).toBe(503);
  }, 60_000);
});
