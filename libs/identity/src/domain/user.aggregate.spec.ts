import { ValidationFailed } from '@ficus/platform';
import { judgeRefresh } from './refresh-session.js';
import { ADMIN, User } from './user.aggregate.js';
import { Email } from './value-objects/email.value-object.js';
import { Password } from './value-objects/password.value-object.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('Email', () => {
  it('is trimmed and lower-cased', () => {
    expect(Email.parse('  Ada.Lovelace@Example.COM ').value).toBe('ada.lovelace@example.com');
  });

  it.each([['plain'], ['a@b'], ['a b@example.com'], [`${'x'.repeat(250)}@example.com`]])('rejects %j', (raw) => {
    expect(() => Email.parse(raw)).toThrow(ValidationFailed);
  });
});

describe('Password', () => {
  it('accepts 10 to 128 characters, counting code points', () => {
    expect(Password.parse('a'.repeat(10)).value).toHaveLength(10);
    expect(() => Password.parse('a'.repeat(9))).toThrow(ValidationFailed);
    expect(() => Password.parse('a'.repeat(129))).toThrow(ValidationFailed);
    expect(() => Password.parse('🔑'.repeat(9))).toThrow(ValidationFailed); // 18 UTF-16 units, 9 characters
  });
});

describe('User', () => {
  const user = () =>
    User.register({ id: 'u1', email: Email.parse('a@example.com'), name: ' Ada ', passwordHash: 'h', now });

  it('registers as a customer with a trimmed name', () => {
    expect(user().snapshot()).toMatchObject({ roles: ['customer'], name: 'Ada' });
  });

  it('grants admin once', () => {
    const u = user();
    expect(u.grantAdmin(now)).toBe(true);
    expect(u.grantAdmin(now)).toBe(false);
    expect(u.roles).toEqual(['customer', ADMIN]);
  });

  it('refuses an empty or overlong name', () => {
    expect(() => user().rename('   ', now)).toThrow(ValidationFailed);
    expect(() => user().rename('x'.repeat(101), now)).toThrow(ValidationFailed);
  });
});

describe('judgeRefresh', () => {
  const family = { id: 'f', userId: 'u', expiresAt: new Date(now.getTime() + 1000), revokedAt: null };
  const token = { id: 't', familyId: 'f', tokenHash: 'h', spentAt: null };

  it('rotates a fresh token of a live family', () => {
    expect(judgeRefresh(token, family, now)).toBe('rotate');
  });
  it('detects reuse of a spent token', () => {
    expect(judgeRefresh({ ...token, spentAt: now }, family, now)).toBe('reuse-detected');
  });
  it('refuses tokens of revoked or expired families', () => {
    expect(judgeRefresh(token, { ...family, revokedAt: now }, now)).toBe('invalid');
    expect(judgeRefresh(token, { ...family, expiresAt: now }, now)).toBe('invalid');
  });
});
