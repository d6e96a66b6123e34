import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import { expectProblem } from './problem-assertions.js';
import { httpRequest, rawHttp } from './raw-http.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * Errors that Fastify, Node's HTTP parser or a Fastify plugin answer by themselves, before or around Nest:
 * each must still leave as an RFC 9457 problem with a stable code and the usual headers.
 */
describe("Fastify's own errors leave as problems with stable codes", () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp('fwerrors', { RATE_LIMIT_PER_IP_PER_MIN: '100000' });
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  }, 30_000);

  it('a broken percent-encoding in the path → 400 MALFORMED_URL', async () => {
    const res = await rawHttp(t.url, httpRequest('GET', '/v1/products/%E0%A4%A'));
    expectProblem(res, 400, 'MALFORMED_URL');
    expect(res.body.instance).toBe('/v1/products/%E0%A4%A');
    // The onRequest hook did not run for it, yet the security headers are there.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a path parameter over 512 characters → 414 URI_TOO_LONG', async () => {
    const res = await rawHttp(t.url, httpRequest('GET', `/v1/products/${'a'.repeat(600)}`));
    expectProblem(res, 414, 'URI_TOO_LONG');
    expect(res.body.title).toBe('URI Too Long');
  });

  it('a malformed Content-Length header → 400 MALFORMED_REQUEST, written before any request exists', async () => {
    const res = await rawHttp(t.url, httpRequest('POST', '/v1/auth/login', { ...JSON_TYPE, 'content-length': 'abc' }));
    expectProblem(res, 400, 'MALFORMED_REQUEST');
    expect(res.headers.connection).toBe('close');
  });

  it('a request line that is not HTTP → 400 MALFORMED_REQUEST', async () => {
    expectProblem(await rawHttp(t.url, 'HELLO THERE\r\n\r\n'), 400, 'MALFORMED_REQUEST');
  });

  it('headers over the size limit → 431 HEADERS_TOO_LARGE', async () => {
    const res = await rawHttp(t.url, httpRequest('GET', '/v1/categories', { 'x-padding': 'p'.repeat(20_000) }));
    expectProblem(res, 431, 'HEADERS_TOO_LARGE');
  });

  it('a body longer than its Content-Length → a problem, for the request and its stray bytes alike', async () => {
    const res = await rawHttp(
      t.url,
      httpRequest('POST', '/v1/auth/login', { ...JSON_TYPE, 'content-length': '5' }, '{"email":"a"}'),
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it.each(['PROPFIND', 'DELETE', 'PUT'])('a method the route does not have (%s) → 404 NOT_FOUND', async (method) => {
    expectProblem(await rawHttp(t.url, httpRequest(method, '/v1/categories')), 404, 'NOT_FOUND');
  });

  it('a content type that does not parse → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await rawHttp(t.url, httpRequest('POST', '/v1/auth/login', { 'content-type': '/json' }, '{}'));
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an empty JSON body → 400 MALFORMED_REQUEST', async () => {
    const res = await rawHttp(t.url, httpRequest('POST', '/v1/auth/login', { ...JSON_TYPE, 'content-length': '0' }));
    expectProblem(res, 400, 'MALFORMED_REQUEST');
  });

  it.each([
    ['__proto__', '{"__proto__":{"admin":true},"email":"a@example.com","password":"x"}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"admin":true}},"email":"a@example.com","password":"x"}'],
  ])('a %s key (prototype poisoning) → 400 MALFORMED_REQUEST', async (_key, raw) => {
    const res = await call(t.url, 'POST', '/v1/auth/login', { raw, headers: JSON_TYPE });
    expectProblem(res, 400, 'MALFORMED_REQUEST');
  });

  it('a CORS preflight that is not one (no Origin) → 400 problem, not the plugin plain text', async () => {
    const res = await rawHttp(t.url, httpRequest('OPTIONS', '/v1/categories'));
    expectProblem(res, 400, 'MALFORMED_REQUEST');
    expect(res.body.detail).toBe('Invalid Preflight Request');
  });

  it('leaves the readiness report in its own (terminus) format', async () => {
    const res = await call(t.url, 'GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('details');
  });
});
