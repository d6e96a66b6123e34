import { randomUUID } from 'node:crypto';
import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import { getHome, registeredCustomer } from './home-fixtures.js';
import { expectProblem, ORDER_SUITE_ENV, placeOrder, shopFixture } from './orders-fixtures.js';
import { signTestToken, tamper } from './tokens.js';

/** GET /v1/home with every context up, in-process: what an anonymous and a signed-in caller see. */
describe('GET /v1/home', () => {
  let t: RunningApp;
  let customer: { email: string; id: string; token: string };
  const productIds: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('home', ORDER_SUITE_ENV);
    const shop = await shopFixture(t);
    for (let i = 0; i < 12; i++) productIds.push((await shop.product(50, 1000 + i)).id);
    await shop.sql.end();
    customer = await registeredCustomer(t);
    for (let i = 0; i < 4; i++) {
      const res = await placeOrder(t, customer.token, {
        items: [{ productId: productIds[i], quantity: 1 }],
        paymentToken: 'tok_ok',
      });
      expect(res.status).toBe(202);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('shows an anonymous caller the shop window only: me null, no orders, no unread, nothing degraded', async () => {
    const res = await getHome(t);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const categories = (await call(t.url, 'GET', '/v1/categories')).body.items;
    const newest = (await call(t.url, 'GET', '/v1/products?sort=newest&limit=10')).body.items;
    // Ids only for the products: the orders placed above are still taking stock.
    const ids = (products: { id: string }[]) => products.map((product) => product.id);
    expect({ ...res.body, featured: ids(res.body.featured) }).toEqual({
      me: null,
      categories,
      featured: ids(newest),
      recentOrders: [],
      unreadNotifications: 0,
      degraded: [],
    });
    expect(res.body.featured).toHaveLength(10);
    expect(res.body.featured[0]).toMatchObject(newest[0]);
    expect(res.body.featured[0].id).toBe(productIds[11]);
  });

  it('shows a signed-in caller their profile, their three newest orders and their unread count', async () => {
    // Each confirmed order puts an item into the customer's inbox (notifications consumes ordering's events).
    const unread = async () =>
      (await call(t.url, 'GET', '/v1/notifications', { token: customer.token })).body.unreadCount as number;
    const deadline = Date.now() + 30_000;
    while ((await unread()) < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await unread()).toBe(4);
    const res = await getHome(t, customer.token);
    expect(res.status).toBe(200);
    const me = (await call(t.url, 'GET', '/v1/me', { token: customer.token })).body;
    const orders = (await call(t.url, 'GET', '/v1/orders', { token: customer.token })).body.items;
    expect(orders).toHaveLength(4);
    expect(res.body.me).toEqual(me);
    expect(res.body.recentOrders.map((o: { id: string }) => o.id)).toEqual(orders.slice(0, 3).map((o: any) => o.id));
    expect(res.body.featured).toHaveLength(10);
    expect(res.body.unreadNotifications).toBe(4);
    expect(res.body.degraded).toEqual([]);
    // Reading one lowers the badge.
    const [first] = (await call(t.url, 'GET', '/v1/notifications', { token: customer.token })).body.items;
    expect((await call(t.url, 'POST', `/v1/notifications/${first.id}/read`, { token: customer.token })).status).toBe(
      204,
    );
    expect((await getHome(t, customer.token)).body.unreadNotifications).toBe(3);
  });

  it('answers me null (not degraded) for a valid token of a user identity does not know', async () => {
    const res = await getHome(t, await signTestToken({ sub: randomUUID() }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ me: null, recentOrders: [], unreadNotifications: 0, degraded: [] });
  });

  it.each([
    ['tampered', async () => `Bearer ${tamper(customer.token)}`],
    ['expired', async () => `Bearer ${await signTestToken({ sub: customer.id, expSecondsFromNow: -60 })}`],
    ['for another audience', async () => `Bearer ${await signTestToken({ sub: customer.id, aud: 'someone-else' })}`],
    ['not a JWT', async () => 'Bearer not-a-token'],
    ['4 KB long', async () => `Bearer ${'a'.repeat(4097)}`],
    ['of another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
  ])('refuses a token that is %s with 401 invalid_token, not an anonymous 200', async (_, header) => {
    const res = await call(t.url, 'GET', '/v1/home', { headers: { authorization: await header() } });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('sends an ETag and answers 304 to If-None-Match, like every GET under /v1', async () => {
    const first = await getHome(t, customer.token);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await call(t.url, 'GET', '/v1/home', {
      token: customer.token,
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });
});
