import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

/** An extracted context that stops answering: the facade answers 503 fast instead of hanging. */
describe('when an extracted context is down', () => {
  let t: RunningApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(
      'ctxdown',
      { CONTEXT_CALL_TIMEOUT_MS: '400', CONTEXT_BREAKER_THRESHOLD: '3', CONTEXT_BREAKER_COOLDOWN_S: '30' },
      ['identity'],
    );
    const session = await call(t.url, 'POST', '/v1/auth/register', {
      body: { email: uniqueEmail('down'), password: 'correct horse battery', name: 'Down' },
    });
    token = session.body.accessToken;
    await t.hosts.get('identity')!.close();
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After within the deadline, then fast once the breaker opens', async () => {
    const timings: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = Date.now();
      const res = await call(t.url, 'GET', '/v1/me', { token });
      timings.push(Date.now() - started);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The first calls wait out the 400 ms deadline (the queries retried within it); after three
    // failures the breaker is open and the rest fail at once: none of them waits for the deadline, and
    // they take a few ms (the median; a single one may be delayed by a busy CI machine's scheduler).
    expect(Math.max(...timings.slice(0, 3))).toBeLessThan(1500);
    const open = timings.slice(3).sort((a, b) => a - b);
    expect(open[open.length - 1]).toBeLessThan(300); // the deadline is 400 ms
    expect(open[Math.floor(open.length / 2)]).toBeLessThan(100);
  });

  it('still serves routes of contexts that are up, and reports the down context in readiness', async () => {
    expect((await call(t.url, 'GET', '/v1/categories')).status).toBe(200);
    const ready = await call(t.url, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details['context.identity'].status).toBe('down');
  });
});
