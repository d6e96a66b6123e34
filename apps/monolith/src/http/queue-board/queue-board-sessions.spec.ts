import { loadConfig } from '@ficus/platform';
import { cookieValue, QueueBoardSessions } from './queue-board-sessions.js';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env });
const admin = { userId: 'u1', roles: ['customer', 'admin'] };
const NOW = Date.parse('2026-12-04T08:00:00Z');

describe('QueueBoardSessions', () => {
  it('verifies what it issued until it expires', () => {
    const sessions = new QueueBoardSessions(config());
    const value = sessions.issue(admin, 60, NOW);
    expect(sessions.verify(value, NOW + 59_000)).toEqual(admin);
    expect(sessions.verify(value, NOW + 60_000)).toBeNull();
  });

  it('refuses a changed payload, a changed signature and malformed values', () => {
    const sessions = new QueueBoardSessions(config());
    const [payload, signature] = sessions.issue({ userId: 'u1', roles: ['customer'] }, 60, NOW).split('.');
    const promoted = Buffer.from(JSON.stringify({ sub: 'u1', roles: ['admin'], exp: NOW / 1000 + 60 })).toString(
      'base64url',
    );
    for (const bad of [
      `${promoted}.${signature}`,
      `${payload}.${signature.slice(1)}x`,
      payload,
      `${payload}.a.b`,
      '',
    ]) {
      expect(sessions.verify(bad, NOW)).toBeNull();
    }
  });

  it('shares sessions between processes with the same secret only', () => {
    const secret = { ADMIN_QUEUES_SESSION_SECRET: 'x'.repeat(32) };
    const value = new QueueBoardSessions(config(secret)).issue(admin, 60, NOW);
    expect(new QueueBoardSessions(config(secret)).verify(value, NOW)).toEqual(admin);
    expect(new QueueBoardSessions(config()).verify(value, NOW)).toBeNull();
  });

  it('never outlives the access token, nor the configured lifetime', () => {
    const sessions = new QueueBoardSessions(config({ ADMIN_QUEUES_SESSION_TTL_S: '600' }));
    expect(sessions.lifetimeSeconds(undefined, NOW)).toBe(600);
    expect(sessions.lifetimeSeconds(NOW / 1000 + 120, NOW)).toBe(120);
    expect(sessions.lifetimeSeconds(NOW / 1000 + 3600, NOW)).toBe(600);
    expect(sessions.lifetimeSeconds(NOW / 1000 - 5, NOW)).toBe(0);
  });

  it('refuses a secret shorter than 32 characters at start', () => {
    expect(() => config({ ADMIN_QUEUES_SESSION_SECRET: 'short' })).toThrow(/ADMIN_QUEUES_SESSION_SECRET/);
  });
});

describe('cookieValue', () => {
  it('finds one cookie among others, and nothing in a look-alike name', () => {
    expect(cookieValue('a=1; ficus_queues_session=v.s; b=2', 'ficus_queues_session')).toBe('v.s');
    expect(cookieValue('xficus_queues_session=v; b=2', 'ficus_queues_session')).toBeUndefined();
    expect(cookieValue(undefined, 'ficus_queues_session')).toBeUndefined();
  });
});
