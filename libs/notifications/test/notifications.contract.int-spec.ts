import { randomUUID } from 'node:crypto';
import {
  type CallMeta,
  type DeviceView,
  type NotificationPage,
  type NotificationPreferencesView,
  NotificationsPatterns as P,
  type UnreadCountView,
} from '@ficus/contracts';
import {
  CONTRACT_MODES,
  contractFailure as failure,
  type ContractHarness,
  startContractHarness,
} from '@ficus/platform/testing';
import { NotificationsModule } from '../src/index.js';

let n = 0;
const meta = (): CallMeta => ({ correlationId: `contract-${n++}`, actor: null });

/** The same inputs give the same answers and error codes in-process and over Redis. */
describe.each(CONTRACT_MODES)('notifications contract (%s)', (mode) => {
  let h: ContractHarness;
  beforeAll(async () => {
    h = await startContractHarness('notifications', NotificationsModule, mode);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });
  const send = <T>(pattern: string, data: unknown) => h.client.send<T>(pattern, data, meta());

  it('registers a device idempotently and moves a token to its new owner', async () => {
    const [ada, bob, token] = [randomUUID(), randomUUID(), `tok-${randomUUID()}`];
    const first = await send<DeviceView>(P.registerDevice, { userId: ada, token, platform: 'web' });
    expect(first).toEqual({ id: expect.any(String), platform: 'web', token, createdAt: expect.any(String) });
    expect(await send<DeviceView>(P.registerDevice, { userId: ada, token, platform: 'web' })).toEqual(first);
    const moved = await send<DeviceView>(P.registerDevice, { userId: bob, token, platform: 'ios' });
    expect(moved.id).not.toBe(first.id);
    expect((await failure(send(P.removeDevice, { userId: ada, token }))).code).toBe('DEVICE_NOT_FOUND');
    await send(P.removeDevice, { userId: bob, token });
    expect((await failure(send(P.removeDevice, { userId: bob, token }))).code).toBe('DEVICE_NOT_FOUND');
  });

  it('refuses an unknown platform and an over-long token', async () => {
    const userId = randomUUID();
    const bad = await failure(send(P.registerDevice, { userId, token: 'x', platform: 'symbian' }));
    expect(bad).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const long = await failure(send(P.registerDevice, { userId, token: 'x'.repeat(4096), platform: 'ios' }));
    expect(long).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers an empty inbox, a zero unread count, and refuses a foreign cursor', async () => {
    const userId = randomUUID();
    expect(await send<NotificationPage>(P.listNotifications, { userId })).toEqual({
      items: [],
      nextCursor: null,
      unreadCount: 0,
    });
    expect(await send<UnreadCountView>(P.getUnreadCount, { userId })).toEqual({ unreadCount: 0 });
    const foreign = Buffer.from(JSON.stringify([1, 'orders', '2026-01-01T00:00:00.000Z', randomUUID()])).toString(
      'base64url',
    );
    expect((await failure(send(P.listNotifications, { userId, cursor: foreign }))).code).toBe('INVALID_CURSOR');
    const unknown = { userId, notificationId: randomUUID() };
    expect((await failure(send(P.markNotificationRead, unknown))).code).toBe('NOTIFICATION_NOT_FOUND');
  });

  it('keeps preferences all on until replaced, and refuses strings or a missing field', async () => {
    const userId = randomUUID();
    expect(await send<NotificationPreferencesView>(P.getPreferences, { userId })).toEqual({
      email: true,
      push: true,
      sms: true,
    });
    const stored = await send(P.updatePreferences, { userId, email: false, push: true, sms: false });
    expect(stored).toEqual({ email: false, push: true, sms: false });
    expect(await send(P.getPreferences, { userId })).toEqual(stored);
    for (const data of [
      { userId, email: 'false', push: true, sms: true },
      { userId, email: true, push: true },
    ]) {
      expect(await failure(send(P.updatePreferences, data))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
