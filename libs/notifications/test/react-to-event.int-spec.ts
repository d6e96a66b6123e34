import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { NotificationPreferencesView } from '@ficus/contracts';
import { PlatformModule, startInProcessTransport } from '@ficus/platform';
import { createTestDatabase, loadContextModule, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { ReactToEventCommand } from '../src/application/react-to-event/react-to-event.command.js';
import {
  type NotificationPlan,
  orderCancelledPlan,
  orderConfirmedPlan,
  welcomePlan,
} from '../src/domain/notification-plan.js';
import type { EmailMessage, PushMessage } from '../src/domain/ports.js';
import { NotificationsModule } from '../src/index.js';
import { EMAIL_SENDER, PUSH_SENDER } from '../src/notifications.di-tokens.js';

/**
 * How notifications reacts to an integration event, on the real Postgres and BullMQ: the inbox item, the
 * sends the user's preferences and devices call for (one read, one write per event), and their delivery by
 * the send workers to channel ports that record what they were given.
 */
describe('reacting to an event', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let sql: pg.Pool;
  const emails: EmailMessage[] = [];
  const pushes: PushMessage[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('notif-react');
    await useTestEnv(db.url, { NOTIFICATIONS_SEND_BACKOFF_MS: '50' });
    // Identity runs too: it is asked for the address of a user notifications has not heard of.
    const identity = await loadContextModule('identity');
    const moduleRef = await Test.createTestingModule({ imports: [PlatformModule, NotificationsModule, identity] })
      .overrideProvider(EMAIL_SENDER)
      .useValue({ send: async (message: EmailMessage) => void emails.push(message) })
      .overrideProvider(PUSH_SENDER)
      .useValue({ send: async (message: PushMessage) => (pushes.push(message), 'sent') })
      .compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false, abortOnError: false });
    await startInProcessTransport(app);
    await app.init();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 30_000);
  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await db?.drop();
  });

  const meta = { correlationId: 'react-to-event-test', actor: null };
  const react = (plan: NotificationPlan, eventId: string = randomUUID()) =>
    app.get(CommandBus).execute(new ReactToEventCommand(plan, eventId, meta));
  const confirmed = (userId: string, orderId = randomUUID()) =>
    orderConfirmedPlan({ orderId, userId, totalCents: 4599, currency: 'EUR' });

  async function deviceOf(userId: string, platform: 'ios' | 'android', registeredSecondsAgo: number) {
    const { rows } = await sql.query(
      `INSERT INTO notifications.devices (id, token, user_id, platform, created_at, updated_at)
       VALUES ($1, $2, $3, $4, now() - make_interval(secs => $5), now()) RETURNING id, token`,
      [randomUUID(), `tok-${randomUUID()}`, userId, platform, registeredSecondsAgo],
    );
    return rows[0] as { id: string; token: string };
  }
  /** As identity's registration event would have told notifications. */
  const knownAddress = (userId: string) =>
    sql.query(`INSERT INTO notifications.recipients VALUES ($1, $2, 'Known', now())`, [
      userId,
      `k-${userId}@example.test`,
    ]);
  const prefer = (userId: string, p: NotificationPreferencesView) =>
    sql.query(`INSERT INTO notifications.preferences VALUES ($1, $2, $3, $4, now())`, [userId, p.email, p.push, p.sms]);
  const sendsOf = async (userId: string) =>
    (
      await sql.query(
        `SELECT event_id, channel, recipient, message FROM notifications.sends WHERE user_id = $1
         ORDER BY channel, message->>'token'`,
        [userId],
      )
    ).rows as { event_id: string; channel: string; recipient: string; message: Record<string, unknown> }[];
  const itemsOf = async (userId: string) =>
    (await sql.query(`SELECT type, source_event_id FROM notifications.inbox_items WHERE user_id = $1`, [userId])).rows;
  /** Waits until no send of the users is owed any more (the workers ran them all: SENT unless `done` says). */
  async function delivered(userIds: string[], done = ['SENT']) {
    const deadline = Date.now() + 4_000; // inside the test's 5 s
    for (;;) {
      const { rows } = await sql.query(
        `SELECT count(*)::int AS owed FROM notifications.sends WHERE user_id = ANY($1::uuid[]) AND status <> ALL($2)`,
        [userIds, done],
      );
      if (rows[0].owed === 0) return;
      if (Date.now() > deadline) throw new Error(`${rows[0].owed} sends still owed`);
      await sleep(25);
    }
  }

  it('uses the defaults for a user without a preference row: inbox item, e-mail, one push per device', async () => {
    const userId = randomUUID();
    await knownAddress(userId);
    const older = await deviceOf(userId, 'ios', 60);
    const newer = await deviceOf(userId, 'android', 10);
    const eventId = randomUUID();
    const plan = confirmed(userId);
    await react(plan, eventId);

    expect(await itemsOf(userId)).toEqual([{ type: 'ORDER_CONFIRMED', source_event_id: eventId }]);
    const sends = await sendsOf(userId);
    expect(sends).toHaveLength(3);
    expect(sends.map((s) => [s.channel, s.recipient])).toEqual(
      expect.arrayContaining([
        ['email', userId],
        ['push', older.id],
        ['push', newer.id],
      ]),
    );
    expect(sends.find((s) => s.channel === 'email')?.message).toEqual(plan.email);
    expect(sends.filter((s) => s.channel === 'push').map((s) => s.message)).toEqual(
      expect.arrayContaining([
        { ...plan.push, token: older.token, platform: 'ios' },
        { ...plan.push, token: newer.token, platform: 'android' },
      ]),
    );
    await delivered([userId]);
    expect(pushes.filter((p) => [older.token, newer.token].includes(p.token))).toHaveLength(2);
    expect(emails.filter((m) => m.to === `k-${userId}@example.test`).map((m) => m.subject)).toEqual([
      plan.email?.subject,
    ]);
  });

  it('sends nothing on a channel the user turned off, yet writes the inbox item', async () => {
    const [quiet, pushOnly] = [randomUUID(), randomUUID()];
    await prefer(quiet, { email: false, push: false, sms: true });
    await prefer(pushOnly, { email: false, push: true, sms: false });
    await deviceOf(quiet, 'ios', 5);
    const phone = await deviceOf(pushOnly, 'android', 5);
    await react(confirmed(quiet));
    await react(confirmed(pushOnly));

    expect(await itemsOf(quiet)).toHaveLength(1);
    expect(await sendsOf(quiet)).toEqual([]);
    expect(await itemsOf(pushOnly)).toHaveLength(1);
    expect((await sendsOf(pushOnly)).map((s) => [s.channel, s.recipient])).toEqual([['push', phone.id]]);
  });

  it('mails the address learnt at registration, and the newest one after the user registers again', async () => {
    const userId = randomUUID();
    const [first, second] = [`a-${userId}@example.test`, `b-${userId}@example.test`];
    await react(welcomePlan({ userId, email: first, name: 'Ada' }));
    await delivered([userId]);
    await react(welcomePlan({ userId, email: second, name: 'Ada L.' }));
    await delivered([userId]);
    await react(confirmed(userId));
    await delivered([userId]);

    const { rows } = await sql.query(`SELECT email, name FROM notifications.recipients WHERE user_id = $1`, [userId]);
    expect(rows).toEqual([{ email: second, name: 'Ada L.' }]);
    const mine = emails.filter((m) => m.to === first || m.to === second);
    expect(mine.map((m) => [m.to, m.subject])).toEqual([
      [first, 'Welcome to Ficus'],
      [second, 'Welcome to Ficus'],
      [second, expect.stringMatching(/is confirmed$/)],
    ]);
    // A welcome has no inbox item and no push.
    expect(await itemsOf(userId)).toHaveLength(1);
    expect((await sendsOf(userId)).map((s) => s.channel)).toEqual(['email', 'email', 'email']);
  });

  it('drops the e-mail of a user neither notifications nor identity knows, and still pushes', async () => {
    const userId = randomUUID();
    const phone = await deviceOf(userId, 'android', 5);
    await react(confirmed(userId));
    await delivered([userId], ['SENT', 'DROPPED']);

    const { rows } = await sql.query(
      `SELECT channel, status, last_error, attempts FROM notifications.sends WHERE user_id = $1 ORDER BY channel`,
      [userId],
    );
    expect(rows).toEqual([
      { channel: 'email', status: 'DROPPED', last_error: 'NO_EMAIL_ADDRESS', attempts: 1 },
      { channel: 'push', status: 'SENT', last_error: null, attempts: 1 },
    ]);
    expect(pushes.filter((p) => p.token === phone.token)).toHaveLength(1);
  });

  it('does nothing twice for a redelivered event, whether it comes later or in the same batch', async () => {
    const userId = randomUUID();
    const email = `r-${userId}@example.test`;
    await react(welcomePlan({ userId, email, name: 'Rex' }));
    const phone = await deviceOf(userId, 'ios', 5);
    const [later, twin] = [randomUUID(), randomUUID()];
    const laterPlan = confirmed(userId);
    await react(laterPlan, later);
    await react(laterPlan, later);
    const twinPlan = confirmed(userId);
    await Promise.all([react(twinPlan, twin), react(twinPlan, twin)]);
    await delivered([userId]);
    await sleep(300); // time for a (wrong) second job to run

    expect((await itemsOf(userId)).map((i) => i.source_event_id).sort()).toEqual([later, twin].sort());
    const sends = await sendsOf(userId);
    for (const eventId of [later, twin]) {
      expect(sends.filter((s) => s.event_id === eventId).map((s) => [s.channel, s.recipient])).toEqual([
        ['email', userId],
        ['push', phone.id],
      ]);
    }
    expect(emails.filter((m) => m.to === email && /is confirmed$/.test(m.subject))).toHaveLength(2);
    expect(pushes.filter((p) => p.token === phone.token)).toHaveLength(2);
    const { rows } = await sql.query(`SELECT attempts FROM notifications.sends WHERE user_id = $1`, [userId]);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  it('takes events of different users in one transaction, each with its own inbox item and sends', async () => {
    const [ada, bob, cyd, dan] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await Promise.all([knownAddress(ada), knownAddress(cyd)]);
    const adaPhone = await deviceOf(ada, 'ios', 30);
    const adaTablet = await deviceOf(ada, 'android', 20);
    await prefer(bob, { email: false, push: true, sms: true });
    const bobPhone = await deviceOf(bob, 'android', 10);
    await prefer(cyd, { email: true, push: false, sms: true });
    await deviceOf(cyd, 'ios', 10);
    const plans: [string, NotificationPlan][] = [
      [randomUUID(), confirmed(ada)],
      [randomUUID(), confirmed(bob)],
      [randomUUID(), confirmed(cyd)],
      [randomUUID(), orderCancelledPlan({ orderId: randomUUID(), userId: dan, reason: 'USER_CANCELLED' })],
      [randomUUID(), welcomePlan({ userId: dan, email: `d-${dan}@example.test`, name: 'Dan' })],
    ];
    await Promise.all(plans.map(([eventId, plan]) => react(plan, eventId)));

    const eventIds = plans.map(([eventId]) => eventId);
    const { rows } = await sql.query(
      `SELECT count(DISTINCT xmin::text)::int AS transactions FROM (
         SELECT xmin FROM notifications.inbox WHERE event_id = ANY($1::uuid[])
         UNION ALL SELECT xmin FROM notifications.inbox_items WHERE source_event_id = ANY($1::uuid[])
         UNION ALL SELECT xmin FROM notifications.recipients WHERE user_id = $2) x`,
      [eventIds, dan],
    );
    expect(rows[0].transactions).toBe(1);
    const channels = async (userId: string) => (await sendsOf(userId)).map((s) => [s.channel, s.recipient]);
    expect(await channels(ada)).toEqual(
      expect.arrayContaining([
        ['email', ada],
        ['push', adaPhone.id],
        ['push', adaTablet.id],
      ]),
    );
    expect(await channels(ada)).toHaveLength(3);
    expect(await channels(bob)).toEqual([['push', bobPhone.id]]);
    expect(await channels(cyd)).toEqual([['email', cyd]]);
    // Dan has no device: the cancellation is an inbox item only; the welcome an e-mail only.
    expect(await channels(dan)).toEqual([['email', dan]]);
    expect((await itemsOf(dan)).map((i) => i.type)).toEqual(['ORDER_CANCELLED']);
    for (const userId of [ada, bob, cyd]) expect(await itemsOf(userId)).toHaveLength(1);
    await delivered([ada, bob, cyd, dan]);
    expect(emails.filter((m) => m.to === `d-${dan}@example.test`)).toHaveLength(1);
  });
});
