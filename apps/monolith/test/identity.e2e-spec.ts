import { call, E2E_MODES, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';
import { signTestToken, tamper, unsignedToken, withForgedPayload } from './tokens.js';

const PASSWORD = 'correct horse battery';

describe.each(E2E_MODES)('identity over HTTP ($name)', ({ extracted, order }) => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('identity', { LOGIN_MAX_FAILURES_PER_EMAIL: '3' }, extracted, order);
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  }, 30_000);

  const register = (email = uniqueEmail(), password = PASSWORD, name = 'Ada') =>
    call(t.url, 'POST', '/v1/auth/register', { body: { email, password, name } });
  const login = (email: string, password = PASSWORD) =>
    call(t.url, 'POST', '/v1/auth/login', { body: { email, password } });

  describe('register', () => {
    it('creates a customer and returns a token pair', async () => {
      const email = uniqueEmail('Ada.Case');
      const res = await register(email);
      expect(res.status).toBe(201);
      expect(res.body.user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', roles: ['customer'] });
      expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(res.body.user.createdAt).toISOString()).toBe(res.body.user.createdAt);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(res.body.accessToken.split('.')).toHaveLength(3);
      expect(res.body.refreshToken.length).toBeGreaterThanOrEqual(40);
    });

    it('answers 409 EMAIL_TAKEN for an e-mail in use, whatever its case', async () => {
      const email = uniqueEmail('dup');
      expect((await register(email)).status).toBe(201);
      const again = await register(email.toUpperCase());
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('EMAIL_TAKEN');
      expect(again.headers.get('content-type')).toContain('application/problem+json');
    });

    it('lets exactly one of two simultaneous registrations of one e-mail win', async () => {
      const email = uniqueEmail('race');
      const results = await Promise.all([register(email), register(email), register(email)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    });

    it.each([
      ['an invalid e-mail', { email: 'not-an-email', password: PASSWORD, name: 'A' }, 'email'],
      ['a password under 10 characters', { email: 'short@example.com', password: '123456789', name: 'A' }, 'password'],
      [
        'a password over 128 characters',
        { email: 'long@example.com', password: 'x'.repeat(129), name: 'A' },
        'password',
      ],
      ['an empty name', { email: 'noname@example.com', password: PASSWORD, name: '' }, 'name'],
      ['a missing field', { email: 'missing@example.com', password: PASSWORD }, 'name'],
      ['a wrongly typed field', { email: 'typed@example.com', password: 1234567890123, name: 'A' }, 'password'],
      ['an unknown field', { email: 'extra@example.com', password: PASSWORD, name: 'A', isAdmin: true }, 'isAdmin'],
    ])('rejects %s with 400 VALIDATION_FAILED naming the field', async (_label, body, field) => {
      const res = await call(t.url, 'POST', '/v1/auth/register', { body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('login', () => {
    it('signs in with any case of the e-mail', async () => {
      const email = uniqueEmail('login');
      await register(email);
      const res = await login(email.toUpperCase());
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe(email);
    });

    it('gives the same 401 INVALID_CREDENTIALS for a wrong password and an unknown e-mail', async () => {
      const email = uniqueEmail('wrong');
      await register(email);
      const wrong = await login(email, 'not the password at all');
      const unknown = await login(uniqueEmail('nobody'));
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('INVALID_CREDENTIALS');
      }
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('answers 429 for an e-mail after too many failures, even with the right password', async () => {
      const email = uniqueEmail('brute');
      await register(email);
      for (let i = 0; i < 3; i++) expect((await login(email, 'wrong password!')).status).toBe(401);
      const blocked = await login(email);
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // The headers describe the e-mail's budget that was hit, not the caller's per-IP one.
      expect(blocked.headers.get('ratelimit-limit')).toBe('3');
      expect(blocked.headers.get('ratelimit-remaining')).toBe('0');
      expect(blocked.headers.get('ratelimit-reset')).toBe(blocked.headers.get('retry-after'));
      // Other e-mails are unaffected.
      const other = uniqueEmail('fine');
      await register(other);
      expect((await login(other)).status).toBe(200);
    });
  });

  describe('refresh and logout', () => {
    it('rotates the refresh token: the new pair works and the old token is spent', async () => {
      const session = (await register()).body;
      const first = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(session.refreshToken);
      expect((await call(t.url, 'GET', '/v1/me', { token: first.body.accessToken })).status).toBe(200);
      const second = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
      expect(second.status).toBe(200);
    });

    it('revokes the whole family when a spent refresh token is reused', async () => {
      const session = (await register()).body;
      const rotated = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      const reuse = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
      // The legitimate, newer token of the same family is dead too.
      const victim = await call(t.url, 'POST', '/v1/auth/refresh', {
        body: { refreshToken: rotated.body.refreshToken },
      });
      expect(victim.status).toBe(401);
    });

    it('lets only one of two concurrent refreshes with one token succeed, and then revokes the family', async () => {
      const session = (await register()).body;
      const both = await Promise.all([
        call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }),
        call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = both.find((r) => r.status === 200)!;
      const after = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: winner.body.refreshToken } });
      expect(after.status).toBe(401);
    });

    it('keeps other sign-ins of the same user alive when one family is revoked', async () => {
      const email = uniqueEmail('two-devices');
      const phone = (await register(email)).body;
      const tablet = (await login(email)).body;
      await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: phone.refreshToken } });
      await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: phone.refreshToken } }); // reuse
      const res = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: tablet.refreshToken } });
      expect(res.status).toBe(200);
    });

    it('answers 401 for an unknown refresh token', async () => {
      const res = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: 'nope' } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('logs out with 204, after which the refresh token no longer works', async () => {
      const session = (await register()).body;
      const out = await call(t.url, 'POST', '/v1/auth/logout', { body: { refreshToken: session.refreshToken } });
      expect(out.status).toBe(204);
      const res = await call(t.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(res.status).toBe(401);
      // Logging out again (or with an unknown token) is harmless.
      expect((await call(t.url, 'POST', '/v1/auth/logout', { body: { refreshToken: 'unknown' } })).status).toBe(204);
    });
  });

  describe('/v1/me', () => {
    it('reads and updates the signed-in user', async () => {
      const session = (await register()).body;
      const patched = await call(t.url, 'PATCH', '/v1/me', {
        token: session.accessToken,
        body: { name: '  Ada King ' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.name).toBe('Ada King');
      const me = await call(t.url, 'GET', '/v1/me', { token: session.accessToken });
      expect(me.body).toEqual(patched.body);
    });

    it('rejects a null name with 400, not a server error', async () => {
      const session = (await register()).body;
      const res = await call(t.url, 'PATCH', '/v1/me', { token: session.accessToken, body: { name: null } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('rejects an update that tries to change anything but the name', async () => {
      const session = (await register()).body;
      const res = await call(t.url, 'PATCH', '/v1/me', { token: session.accessToken, body: { roles: ['admin'] } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const me = await call(t.url, 'GET', '/v1/me', { token: session.accessToken });
      expect(me.body.roles).toEqual(['customer']);
    });

    it('sends an ETag and answers 304 to If-None-Match', async () => {
      const session = (await register()).body;
      const first = await call(t.url, 'GET', '/v1/me', { token: session.accessToken });
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^".+"$/);
      const again = await call(t.url, 'GET', '/v1/me', {
        token: session.accessToken,
        headers: { 'if-none-match': etag! },
      });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
    });

    it('never answers the cached view after an edit: 200, the new name and a new ETag', async () => {
      const session = (await register()).body;
      const first = await call(t.url, 'GET', '/v1/me', { token: session.accessToken });
      const etag = first.headers.get('etag')!;
      await call(t.url, 'PATCH', '/v1/me', { token: session.accessToken, body: { name: 'Renamed Right Away' } });
      const after = await call(t.url, 'GET', '/v1/me', {
        token: session.accessToken,
        headers: { 'if-none-match': `W/${etag}, "other"` },
      });
      expect(after.status).toBe(200);
      expect(after.body.name).toBe('Renamed Right Away');
      expect(after.headers.get('etag')).not.toBe(etag);
      const star = await call(t.url, 'GET', '/v1/me', {
        token: session.accessToken,
        headers: { 'if-none-match': '*' },
      });
      expect(star.status).toBe(304);
    });

    it('answers 401 with WWW-Authenticate: Bearer (no error code) without a token', async () => {
      const res = await call(t.url, 'GET', '/v1/me');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    describe('rejects bad tokens with 401 invalid_token', () => {
      let good: string;
      let userId: string;
      beforeAll(async () => {
        const session = (await register()).body;
        good = session.accessToken;
        userId = session.user.id;
      });
      const cases: [string, () => Promise<string> | string][] = [
        ['a tampered signature', () => tamper(good)],
        ['a forged payload (admin role added)', () => withForgedPayload(good, { roles: ['customer', 'admin'] })],
        ['an expired token', () => signTestToken({ sub: userId, expSecondsFromNow: -60 })],
        ['an alg:none token', () => unsignedToken(userId)],
        ['a token for another audience', () => signTestToken({ sub: userId, aud: 'someone-else' })],
        ['a token from another issuer', () => signTestToken({ sub: userId, iss: 'evil' })],
        ['garbage', () => 'not.a.jwt'],
      ];
      it.each(cases)('%s', async (_label, make) => {
        const res = await call(t.url, 'GET', '/v1/me', { token: await make() });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
        expect(res.body.code).toBe('UNAUTHENTICATED');
      });

      it('also on public routes', async () => {
        const res = await call(t.url, 'POST', '/v1/auth/login', {
          token: tamper(good),
          body: { email: 'a@example.com', password: PASSWORD },
        });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      });

      it('accepts a valid token signed by the same key', async () => {
        const res = await call(t.url, 'GET', '/v1/me', { token: await signTestToken({ sub: userId }) });
        expect(res.status).toBe(200);
      });
    });
  });
});
