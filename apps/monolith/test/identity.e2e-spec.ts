import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

const PASSWORD = 'correct horse battery';

describe('identity over HTTP', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('identity');
  });
  afterAll(async () => {
    await t?.close();
  });

  const register = (email = uniqueEmail(), password = PASSWORD, name = 'Ada') =>
    call(t.url, 'POST', '/v1/auth/register', { body: { email, password, name } });

  it('registers a customer and returns a token pair', async () => {
    const email = uniqueEmail('Ada');
    const res = await register(email);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', roles: ['customer'] });
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.expiresIn).toBe(900);
    expect(typeof res.body.accessToken).toBe('string');
    expect(typeof res.body.refreshToken).toBe('string');
  });

  it('answers register → login → /v1/me', async () => {
    const email = uniqueEmail();
    await register(email);
    const login = await call(t.url, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const me = await call(t.url, 'GET', '/v1/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);
  });
});
