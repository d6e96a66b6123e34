import pg from 'pg';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';
import { runCli, UsageError } from '../src/cli-commands.js';
import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

/** The operator CLI against a real database (each command boots the app the way `npm run cli` does). */
describe('npm run cli', () => {
  let t: RunningApp;
  let db: pg.Client;
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  beforeAll(async () => {
    t = await startTestApp('cli');
    db = new pg.Client({ connectionString: t.db.url });
    await db.connect();
  }, 30_000);
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  it('prints help listing every command', async () => {
    expect(await runCli(['--help'], out)).toBe(0);
    for (const command of ['db:setup', 'migrate', 'users:grant-admin', 'outbox:parked', 'outbox:replay', 'seed']) {
      expect(lines.join('\n')).toContain(command);
    }
  });

  it('rejects an unknown command or context as a usage error', async () => {
    await expect(runCli(['bogus'], out)).rejects.toBeInstanceOf(UsageError);
    await expect(runCli(['outbox:parked', '--context', 'billing'], out)).rejects.toBeInstanceOf(UsageError);
  });

  it('grants admin to an existing user, whose next token carries the role', async () => {
    const email = uniqueEmail('cli-admin');
    await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: 'correct horse battery', name: 'Op' } });
    expect(await runCli(['users:grant-admin', email], out)).toBe(0);
    expect(lines.at(-1)).toContain('customer, admin');
    const login = await call(t.url, 'POST', '/v1/auth/login', { body: { email, password: 'correct horse battery' } });
    expect(login.body.user.roles).toEqual(['customer', 'admin']);
  });

  it('fails with USER_NOT_FOUND for an unknown e-mail', async () => {
    const error = await runCli(['users:grant-admin', uniqueEmail('ghost')], out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractCallError);
    expect((error as ContractCallError).code).toBe('USER_NOT_FOUND');
  });

  it('lists parked deliveries and queues them again', async () => {
    // Park a delivery by hand in identity's outbox, as the relay would after the last attempt.
    const identity = t.app.get<IdentityApi>(IDENTITY_API);
    const session = await identity.registerUser(
      { email: uniqueEmail('parked'), password: 'correct horse battery', name: 'P' },
      { correlationId: 'cli-test', actor: null },
    );
    const {
      rows: [event],
    } = await db.query(`SELECT id FROM identity.outbox WHERE aggregate_id = $1`, [session.user.id]);
    // Notifications subscribes to the event, so the relay fans it out itself: let that delivery finish,
    // then park it (writing a row beside the relay's would race its fan-out).
    const deadline = Date.now() + 10_000;
    let delivered: number | null = 0;
    while (!delivered && Date.now() < deadline) {
      ({ rowCount: delivered } = await db.query(
        `SELECT 1 FROM identity.outbox_delivery WHERE event_id = $1 AND subscriber = 'notifications' AND status = 'delivered'`,
        [event.id],
      ));
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const parked = await db.query(
      `UPDATE identity.outbox_delivery SET status = 'parked', attempts = 10, last_error = 'boom'
       WHERE event_id = $1 AND subscriber = 'notifications' AND status = 'delivered'`,
      [event.id],
    );
    expect(parked.rowCount).toBe(1);
    expect(await runCli(['outbox:parked', '--context', 'identity'], out)).toBe(0);
    expect(lines.join('\n')).toContain(event.id);
    expect(lines.at(-1)).toBe('1 parked deliveries');
    expect(await runCli(['outbox:replay', '--context', 'identity', '--event', event.id], out)).toBe(0);
    expect(lines.at(-1)).toBe('1 deliveries queued again');
    const { rows } = await db.query(`SELECT status FROM identity.outbox_delivery WHERE event_id = $1`, [event.id]);
    expect(rows[0].status).not.toBe('parked');
  });
});
