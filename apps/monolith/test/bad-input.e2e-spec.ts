import { randomUUID } from 'node:crypto';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';
import { expectProblem } from './problem-assertions.js';
import { RowCounter } from './row-counts.js';

const PASSWORD = 'correct horse battery';
const JSON_TYPE = { 'content-type': 'application/json' };

const nestedArrays = (levels: number, leaf = '"x"') => '['.repeat(levels) + leaf + ']'.repeat(levels);
const nestedObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('bad input is a 4xx problem, never a 5xx nor a foreign body', () => {
  let t: RunningApp;
  let rows: RowCounter;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp('badinput', { RATE_LIMIT_PER_IP_PER_MIN: '100000', RATE_LIMIT_PER_USER_PER_MIN: '100000' });
    rows = new RowCounter(t.db.url);
    const email = uniqueEmail('bad-input-admin');
    await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, name: 'Admin' } });
    await t.app.get<IdentityApi>(IDENTITY_API).grantAdmin({ email }, { correlationId: 'e2e', actor: null });
    admin = (await call(t.url, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).body.accessToken;
  }, 30_000);
  afterAll(async () => {
    await rows?.close();
    await t?.close();
  }, 30_000);

  describe('a NUL character (PostgreSQL refuses it in text) → 400 VALIDATION_FAILED naming the field', () => {
    it.each([
      ['register name', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD, name: 'Ada\u0000' }, 'name'],
      [
        'register e-mail',
        '/v1/auth/register',
        { email: `a\u0000${uniqueEmail()}`, password: PASSWORD, name: 'Ada' },
        'email',
      ],
      ['login e-mail', '/v1/auth/login', { email: 'ada\u0000@example.com', password: PASSWORD }, 'email'],
      ['login password', '/v1/auth/login', { email: 'ada@example.com', password: `${PASSWORD}\u0000` }, 'password'],
    ])('in the %s', async (_name, path, body, field) => {
      const before = await rows.counts();
      const res = await call(t.url, 'POST', path, { body });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field, message: `${field} must not contain NUL characters` }]);
      expect(await rows.counts()).toEqual(before);
    });

    it('in a nested field and in a field name of an admin body', async () => {
      const res = await call(t.url, 'POST', '/v1/admin/categories', {
        token: admin,
        raw: '{"slug":"ok","name":"N","x\\u0000":1}',
        headers: JSON_TYPE,
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('x\u0000');
    });

    it.each([
      ['/v1/products?q=%00', 'q'],
      ['/v1/products?q=shoe&category=%00', 'category'],
      ['/v1/products?q=%00&q=a', 'q.0'],
      [`/v1/products/%00${randomUUID().slice(1)}`, 'id'],
    ])('in the query string or a path parameter: GET %s', async (path, field) => {
      const res = await call(t.url, 'GET', path);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe(field);
    });

    it('in the path parameter of an admin route', async () => {
      const res = await call(t.url, 'PATCH', '/v1/admin/products/%00', { token: admin, body: { name: 'x' } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });
  });

  it.each([
    [
      'register e-mail',
      '/v1/auth/register',
      '{"email":"a\\ud800@example.com","password":"correct horse battery","name":"A"}',
      'email',
    ],
    [
      'register name',
      '/v1/auth/register',
      `{"email":"${uniqueEmail()}","password":"correct horse battery","name":"\\udc00"}`,
      'name',
    ],
    ['login e-mail', '/v1/auth/login', '{"email":"\\ud800","password":"x"}', 'email'],
  ])(
    'a lone surrogate (valid JSON, not text) in the %s → 400 VALIDATION_FAILED, not a 500',
    async (_name, path, raw, field) => {
      const before = await rows.counts();
      const res = await call(t.url, 'POST', path, { raw, headers: JSON_TYPE });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([
        { field, message: `${field} must be valid Unicode text (a lone surrogate is not)` },
      ]);
      expect(await rows.counts()).toEqual(before);
    },
  );

  describe('wide input (class-transformer is quadratic in keys: 90,000 took 10 s and answered 9 MB)', () => {
    it('an object with 90,000 fields → 400 naming the object, with one error rather than 90,000', async () => {
      const raw = `{${Array.from({ length: 90_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
      const res = await call(t.url, 'POST', '/v1/auth/register', { raw, headers: JSON_TYPE });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'body', message: 'body has more than 1000 fields' }]);
    });

    it('an array of 300,000 items in a field → 400 naming the field', async () => {
      const raw = `{"email":[${new Array(300_000).fill(1).join(',')}],"password":"x"}`;
      const res = await call(t.url, 'POST', '/v1/auth/login', { raw, headers: JSON_TYPE });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'email', message: 'email has more than 1000 items' }]);
    });
  });

  describe('deep nesting (10,000 levels) → 400 before anything walks it', () => {
    it.each([
      ['arrays as a field', `{"email":${nestedArrays(10_000)},"password":"x"}`, 'email'],
      ['objects as a field', `{"email":${nestedObjects(10_000)},"password":"x"}`, 'email'],
      ['arrays as the whole body', nestedArrays(10_000), '0'],
      ['objects as the whole body', nestedObjects(10_000), 'a'],
    ])('%s', async (_name, raw, field) => {
      const before = await rows.counts();
      for (const path of ['/v1/auth/login', '/v1/auth/register']) {
        const res = await call(t.url, 'POST', path, { raw, headers: JSON_TYPE });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0]).toEqual({ field, message: `${field} is nested more than 32 levels deep` });
      }
      expect(await rows.counts()).toEqual(before);
    });

    it('as deep as 1 MiB allows (500,000 levels) → 400; one byte over the limit is still 413', async () => {
      expectProblem(
        await call(t.url, 'POST', '/v1/auth/login', { raw: nestedArrays(500_000, '1'), headers: JSON_TYPE }),
        400,
        'VALIDATION_FAILED',
      );
      const over = '['.repeat(1024 * 1024 + 1);
      expectProblem(
        await call(t.url, 'POST', '/v1/auth/login', { raw: over, headers: JSON_TYPE }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('in an admin body, with a signed-in admin', async () => {
      const res = await call(t.url, 'POST', '/v1/admin/products', {
        token: admin,
        raw: `{"sku":"A-1","name":${nestedObjects(5000)}}`,
        headers: JSON_TYPE,
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });
  });
});
