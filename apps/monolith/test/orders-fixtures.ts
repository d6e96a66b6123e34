import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { call, type JsonResponse, type RunningApp, uniqueEmail } from './e2e-harness.js';
import { signTestToken } from './tokens.js';

const PASSWORD = 'correct horse battery';
let n = 0;
export const unique = () => `${process.pid}-${Date.now().toString(36)}-${n++}`;

/** Rate limits out of the way: these suites send many requests from one address on purpose. */
export const ORDER_SUITE_ENV = {
  RATE_LIMIT_PER_IP_PER_MIN: '1000000',
  RATE_LIMIT_PER_USER_PER_MIN: '1000000',
  ORDERING_SAGA_SWEEP_MS: '200',
  PAYMENTS_PROVIDER_TIMEOUT_MS: '300',
};

export function expectProblem(res: JsonResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(res.body).toMatchObject({ status, code, traceId: res.headers.get('x-request-id') });
}

/** An admin session and a category to put products in; products with chosen stock and price. */
export async function shopFixture(t: RunningApp) {
  const email = uniqueEmail('orders-admin');
  await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, name: 'Admin' } });
  await t.app.get<IdentityApi>(IDENTITY_API).grantAdmin({ email }, { correlationId: 'e2e', actor: null });
  const admin = (await call(t.url, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).body
    .accessToken as string;
  const slug = `shelf-${unique()}`;
  await call(t.url, 'POST', '/v1/admin/categories', { token: admin, body: { slug, name: 'Shelf' } });
  const sql = new pg.Pool({ connectionString: t.db.url, max: 2 });
  return {
    admin,
    sql,
    product: async (stock: number, priceCents = 1999) => {
      const res = await call(t.url, 'POST', '/v1/admin/products', {
        token: admin,
        body: {
          sku: `SKU-${unique()}`,
          name: `Lamp ${n}`,
          description: '',
          priceCents,
          currency: 'EUR',
          categorySlug: slug,
          stock,
        },
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; name: string; priceCents: number };
    },
    stockOf: async (productId: string) => (await call(t.url, 'GET', `/v1/products/${productId}`)).body.stock as number,
    /** A signed-in customer (a real token for a user id of its own; ordering needs nothing else of identity). */
    customer: () => signTestToken({ sub: randomUUID() }),
  };
}

/** POST /v1/orders with an Idempotency-Key (a fresh one unless given). */
export const placeOrder = (
  t: RunningApp,
  token: string,
  body: unknown,
  key: string | null = unique(),
): Promise<JsonResponse> =>
  call(t.url, 'POST', '/v1/orders', { token, body, headers: key === null ? {} : { 'idempotency-key': key } });

/** Polls GET /v1/orders/{id} until `done` holds (default: it left PENDING). */
export async function orderWhen(
  t: RunningApp,
  token: string,
  id: string,
  done: (order: any) => boolean = (o) => o.status !== 'PENDING',
  timeoutMs = 30_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(t.url, 'GET', `/v1/orders/${id}`, { token });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`order ${id} still ${JSON.stringify(res.body.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `check` holds. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
