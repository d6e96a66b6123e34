import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, E2E_MODES, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';
import { eventually, expectProblem, ORDER_SUITE_ENV, orderWhen, placeOrder, shopFixture } from './orders-fixtures.js';
import { type SmtpCatcher, startSmtpCatcher } from './smtp-catcher.js';

const PASSWORD = 'correct horse battery';

/**
 * Every row of API.md's Notifications section, and the events that drive them, in-process and with every
 * context (notifications too) extracted, whichever process starts first. E-mail goes over SMTP to a real
 * SMTP server in the test process.
 */
describe.each(E2E_MODES)('notifications over HTTP ($name)', ({ extracted, order }) => {
  let t: RunningApp;
  let smtp: SmtpCatcher;
  let shop: Awaited<ReturnType<typeof shopFixture>>;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    const env = { ...ORDER_SUITE_ENV, SMTP_URL: smtp.url, NOTIFICATIONS_SEND_BACKOFF_MS: '100' };
    t = await startTestApp('notifications', env, extracted, order);
    shop = await shopFixture(t);
  }, 60_000);
  afterAll(async () => {
    await shop?.sql.end();
    await t?.close();
    await smtp?.close();
  });

  /** A registered user (so identity's event tells notifications the address) and their token. */
  async function signUp() {
    const email = uniqueEmail('notified');
    const res = await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, name: 'Ada' } });
    expect(res.status).toBe(201);
    return { email, token: res.body.accessToken as string, id: res.body.user.id as string };
  }
  const inbox = (token: string, query = '') => call(t.url, 'GET', `/v1/notifications${query}`, { token });
  async function confirmedOrder(token: string) {
    const product = await shop.product(5, 4599);
    const placed = await placeOrder(t, token, {
      items: [{ productId: product.id, quantity: 1 }],
      paymentToken: 'tok_ok',
    });
    expect(placed.status).toBe(202);
    const done = await orderWhen(t, token, placed.body.id);
    expect(done.status).toBe('CONFIRMED');
    return placed.body.id as string;
  }

  describe('events from other contexts', () => {
    it('sends the welcome e-mail once a user registers (identity.user-registered.v1)', async () => {
      const user = await signUp();
      await eventually(async () => smtp.to(user.email).length > 0);
      const [welcome] = smtp.to(user.email);
      expect(welcome.subject).toBe('Welcome to Ficus');
      expect(welcome.text).toContain('Hello Ada');
    }, 30_000);

    it('puts a confirmed order in the inbox and mails exactly once although SMTP refused the first two tries', async () => {
      const user = await signUp();
      await eventually(async () => smtp.to(user.email).length > 0);
      const refusedBefore = smtp.refused.length;
      smtp.refuse(
        (mail) => /is confirmed/.test(mail.subject ?? '') && [mail.to].flat().some((a) => a?.text.includes(user.email)),
        2,
      );
      const orderId = await confirmedOrder(user.token);

      await eventually(async () => (await inbox(user.token)).body.items?.length === 1);
      const page = await inbox(user.token);
      expect(page.status).toBe(200);
      expect(page.body).toEqual({
        items: [
          {
            id: expect.any(String),
            type: 'ORDER_CONFIRMED',
            title: 'Order confirmed',
            body: expect.stringContaining('45.99 EUR'),
            data: { orderId },
            readAt: null,
            createdAt: expect.any(String),
          },
        ],
        nextCursor: null,
        unreadCount: 1,
      });

      const confirmations = () => smtp.to(user.email).filter((m) => /is confirmed/.test(m.subject ?? ''));
      await eventually(async () => confirmations().length > 0, 20_000);
      await sleep(1500); // time for a (wrong) second delivery to show up
      expect(confirmations()).toHaveLength(1);
      expect(smtp.refused.length - refusedBefore).toBe(2);
      const { rows } = await shop.sql.query(
        `SELECT status, attempts FROM notifications.sends WHERE user_id = $1 AND channel = 'email' ORDER BY created_at`,
        [user.id],
      );
      expect(rows).toEqual([
        { status: 'SENT', attempts: 1 },
        { status: 'SENT', attempts: 3 },
      ]);
    }, 60_000);

    it('writes the inbox item but sends no e-mail to a user who turned e-mail off', async () => {
      const user = await signUp();
      await eventually(async () => smtp.to(user.email).length > 0);
      const put = await call(t.url, 'PUT', '/v1/me/notification-preferences', {
        token: user.token,
        body: { email: false, push: true, sms: true },
      });
      expect(put.status).toBe(200);
      const device = await call(t.url, 'PUT', `/v1/devices/fcm-${randomUUID()}`, {
        token: user.token,
        body: { platform: 'android' },
      });
      expect(device.status).toBe(200);
      await confirmedOrder(user.token);

      await eventually(async () => (await inbox(user.token)).body.unreadCount === 1);
      const pushes = async () =>
        (
          await shop.sql.query(`SELECT status FROM notifications.sends WHERE user_id = $1 AND channel = 'push'`, [
            user.id,
          ])
        ).rows;
      await eventually(async () => (await pushes()).some((r) => r.status === 'SENT'));
      await sleep(1000);
      expect(smtp.to(user.email).map((m) => m.subject)).toEqual(['Welcome to Ficus']);
      const emails = await shop.sql.query(
        `SELECT count(*)::int AS n FROM notifications.sends s JOIN notifications.inbox_items i
           ON i.source_event_id = s.event_id WHERE s.user_id = $1 AND s.channel = 'email'`,
        [user.id],
      );
      expect(emails.rows[0].n).toBe(0);
    }, 60_000);

    it('puts a cancelled order in the inbox with the reason', async () => {
      const user = await signUp();
      const product = await shop.product(5);
      const placed = await placeOrder(t, user.token, {
        items: [{ productId: product.id, quantity: 1 }],
        paymentToken: 'tok_declined',
      });
      await orderWhen(t, user.token, placed.body.id);
      await eventually(async () => (await inbox(user.token)).body.items?.length === 1);
      const [item] = (await inbox(user.token)).body.items;
      expect(item).toMatchObject({
        type: 'ORDER_CANCELLED',
        title: 'Order cancelled',
        data: { orderId: placed.body.id, reason: 'PAYMENT_DECLINED' },
      });
    }, 60_000);
  });

  describe('the inbox', () => {
    it('pages newest first by cursor, marks read idempotently, and hides other users’ items', async () => {
      const user = await signUp();
      await confirmedOrder(user.token);
      await confirmedOrder(user.token);
      await eventually(async () => (await inbox(user.token)).body.unreadCount === 2);
      const first = await inbox(user.token, '?limit=1');
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await inbox(user.token, `?limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      expect(second.body.items[0].createdAt <= first.body.items[0].createdAt).toBe(true);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);

      const id = first.body.items[0].id as string;
      const other = await signUp();
      expectProblem(
        await call(t.url, 'POST', `/v1/notifications/${id}/read`, { token: other.token }),
        404,
        'NOTIFICATION_NOT_FOUND',
      );
      for (let i = 0; i < 2; i++) {
        const read = await call(t.url, 'POST', `/v1/notifications/${id}/read`, { token: user.token });
        expect(read.status).toBe(204);
      }
      const after = await inbox(user.token);
      expect(after.body.unreadCount).toBe(1);
      expect(after.body.items.find((n: { id: string }) => n.id === id).readAt).toEqual(expect.any(String));
      expect((await inbox(other.token)).body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    }, 90_000);

    it('refuses a bad cursor, a bad limit and a malformed id with 400', async () => {
      const user = await signUp();
      expectProblem(await inbox(user.token, '?cursor=not-a-cursor'), 400, 'INVALID_CURSOR');
      expectProblem(await inbox(user.token, '?limit=0'), 400, 'VALIDATION_FAILED');
      expectProblem(await inbox(user.token, '?limit=abc'), 400, 'VALIDATION_FAILED');
      expectProblem(
        await call(t.url, 'POST', '/v1/notifications/nope/read', { token: user.token }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await call(t.url, 'POST', `/v1/notifications/${randomUUID()}/read`, { token: user.token }),
        404,
        'NOTIFICATION_NOT_FOUND',
      );
    });

    it('needs a signed-in user', async () => {
      const res = await call(t.url, 'GET', '/v1/notifications');
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });
  });

  describe('devices', () => {
    it('upserts idempotently, moves a token to its new owner, and deletes own devices only', async () => {
      const [ada, bob] = [await signUp(), await signUp()];
      const token = `fcm:${randomUUID()}_x-y`;
      const first = await call(t.url, 'PUT', `/v1/devices/${token}`, { token: ada.token, body: { platform: 'ios' } });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ id: expect.any(String), platform: 'ios', token, createdAt: expect.any(String) });
      const again = await call(t.url, 'PUT', `/v1/devices/${token}`, { token: ada.token, body: { platform: 'ios' } });
      expect(again.body).toEqual(first.body);

      const moved = await call(t.url, 'PUT', `/v1/devices/${token}`, {
        token: bob.token,
        body: { platform: 'android' },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.platform).toBe('android');
      expectProblem(await call(t.url, 'DELETE', `/v1/devices/${token}`, { token: ada.token }), 404, 'DEVICE_NOT_FOUND');
      expect((await call(t.url, 'DELETE', `/v1/devices/${token}`, { token: bob.token })).status).toBe(204);
      expectProblem(await call(t.url, 'DELETE', `/v1/devices/${token}`, { token: bob.token }), 404, 'DEVICE_NOT_FOUND');
    });

    it('refuses an unknown platform, a missing body, odd characters and a 4 KB token', async () => {
      const user = await signUp();
      const put = (token: string, body: unknown) =>
        call(t.url, 'PUT', `/v1/devices/${token}`, { token: user.token, body });
      expectProblem(await put('tok1', { platform: 'blackberry' }), 400, 'VALIDATION_FAILED');
      expectProblem(await put('tok1', {}), 400, 'VALIDATION_FAILED');
      expectProblem(await put('tok1', { platform: 'ios', extra: 1 }), 400, 'VALIDATION_FAILED');
      expectProblem(await put('bad%20token', { platform: 'ios' }), 400, 'VALIDATION_FAILED');
      const huge = await put('a'.repeat(4096), { platform: 'ios' });
      expect(huge.status).toBe(414);
      expect(huge.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect((await put('a'.repeat(512), { platform: 'web' })).status).toBe(200);
    });
  });

  describe('preferences', () => {
    it('are all on at first and replaced as a whole', async () => {
      const user = await signUp();
      const prefs = () => call(t.url, 'GET', '/v1/me/notification-preferences', { token: user.token });
      expect((await prefs()).body).toEqual({ email: true, push: true, sms: true });
      const put = await call(t.url, 'PUT', '/v1/me/notification-preferences', {
        token: user.token,
        body: { email: false, push: true, sms: false },
      });
      expect(put.body).toEqual({ email: false, push: true, sms: false });
      expect((await prefs()).body).toEqual({ email: false, push: true, sms: false });
    });

    it('refuse a missing field or strings with 400, keeping what was stored', async () => {
      const user = await signUp();
      const put = (body: unknown) => call(t.url, 'PUT', '/v1/me/notification-preferences', { token: user.token, body });
      expectProblem(await put({ email: false, push: true }), 400, 'VALIDATION_FAILED');
      expectProblem(await put({ email: 'false', push: true, sms: true }), 400, 'VALIDATION_FAILED');
      expectProblem(await put({ email: 0, push: true, sms: true }), 400, 'VALIDATION_FAILED');
      const got = await call(t.url, 'GET', '/v1/me/notification-preferences', { token: user.token });
      expect(got.body).toEqual({ email: true, push: true, sms: true });
    });
  });
});
