import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'correct horse battery';

/**
 * The operator's path to Bull Board in a real browser (Debian's headless Chromium, driven by playwright-core):
 * the board refuses a browser without a session, the sign-in page turns an admin's e-mail and password into
 * the board's HttpOnly session cookie, and the board then shows the process's queues — under the facade's
 * CSP, which blocks nothing the board needs (only its Google Fonts stylesheet, by design).
 */
describe('Bull Board in a browser', () => {
  let t: RunningApp;
  let browser: Browser;
  let adminEmail: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run "bash .ci/run browser" (installs chromium)`);
    t = await startTestApp('queue-board-browser');
    adminEmail = uniqueEmail('board-admin');
    const registered = await call(t.url, 'POST', '/v1/auth/register', {
      body: { email: adminEmail, password: PASSWORD, name: 'Operator' },
    });
    expect(registered.status).toBe(201);
    await t.app.get<IdentityApi>(IDENTITY_API).grantAdmin({ email: adminEmail }, { correlationId: 'e2e', actor: null });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs an admin in through the sign-in page and shows the queues of the process', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // Runs in the page (as text: this project compiles without the DOM types).
      await page.addInitScript({
        content:
          'window.cspViolations = []; document.addEventListener("securitypolicyviolation", ' +
          '(e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));',
      });

      // Without a session the board is a 401 problem, also for a browser.
      const refused = await page.goto(`${t.url}/admin/queues`);
      expect(refused!.status()).toBe(401);
      expect(await refused!.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

      await page.goto(`${t.url}/admin/queues/session`);
      await page.fill('input[name=email]', adminEmail);
      await page.fill('input[name=password]', PASSWORD);
      await Promise.all([page.waitForURL(`${t.url}/admin/queues`), page.click('button[type=submit]')]);

      for (const queue of ['notifications.email', 'notifications.push', 'notifications.sms', 'ie.ordering']) {
        await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 20_000 });
      }
      const [cookie] = await context.cookies(t.url + '/admin/queues');
      expect(cookie).toMatchObject({ name: 'ficus_queues_session', path: '/admin/queues', httpOnly: true });
      expect(cookie.sameSite).toBe('Strict');
      expect(pageErrors).toEqual([]);
      const violations = await page.evaluate<string[]>('window.cspViolations');
      expect(violations.filter((v) => !v.includes('https://fonts.googleapis.com/'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('tells an operator who is not an admin why, and opens nothing', async () => {
    const email = uniqueEmail('board-customer');
    await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, name: 'Customer' } });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${t.url}/admin/queues/session`);
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.getByText('You are not allowed to do this.').waitFor({ timeout: 10_000 });
      expect(page.url()).toBe(`${t.url}/admin/queues/session`);
      expect(await context.cookies(t.url + '/admin/queues')).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
