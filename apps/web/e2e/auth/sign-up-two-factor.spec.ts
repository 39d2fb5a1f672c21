import path from 'node:path';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { signUpAndLogIn } from '../testing/accounts';
import { startApiServer, type ApiServer } from '../testing/api-server';
import { launchChromium, screenshotPage } from '../testing/browser';
import {
  buildNextApp,
  getFreePort,
  RESULTS_DIR,
  startNextApp,
  type NextApp,
  publicOrigin,
} from '../testing/next-app';

const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots', 'sign-up-two-factor');
// Its own build: the /api rewrite points at this test's api, not the status test's fake one.
const E2E_DIST_DIR = 'test-results/identity/.next';
const AUTH_SECRET = 'e2e-test-auth-secret-0123456789abcdefghijklmnop';
const STEP_TIMEOUT_MS = 15_000;
const TOTP_PERIOD_SECONDS = 30;

const USER = {
  name: 'Ada Lovelace',
  email: `ada-${Date.now().toString(36)}@example.com`,
  password: 'analytical engine punch cards 1843',
};

describe('sign up, confirm the e-mail, turn on two-factor, log in with a code', () => {
  let database: TestDatabase | undefined;
  let api: ApiServer | undefined;
  let web: NextApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const [apiPort, webPort] = [await getFreePort(), await getFreePort()];
    // Links in e-mails are built from PUBLIC_URL, so it is where the browser finds this web app.
    const publicUrl = `http://localhost:${webPort}`;
    api = await startApiServer(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        API_PORT: String(apiPort),
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        PUBLIC_URL: publicUrl,
        AUTH_SECRET,
      },
      { logName: 'identity-api.log' },
    );
    const settings = { API_INTERNAL_URL: api.url, WEB_DIST_DIR: E2E_DIST_DIR };
    await buildNextApp(settings, { logName: 'identity-next-build.log' });
    web = await startNextApp(settings, { port: webPort, logName: 'identity-next-start.log' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await database?.drop();
  });

  function origin(): string {
    if (!web) throw new Error('beforeAll did not finish');
    return publicOrigin(web);
  }

  async function screenshot(page: Page, name: string) {
    await screenshotPage(page, SCREENSHOT_DIR, name);
  }

  /** The TOTP code for `stepsAhead` time steps from now (the api accepts ±1 step). */
  function totpCode(secret: string, stepsAhead = 0): Promise<string> {
    const epoch = Math.floor(Date.now() / 1000) + stepsAhead * TOTP_PERIOD_SECONDS;
    return generate({ secret, epoch });
  }

  it('walks the whole flow in the browser and lands on the account page', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // 1. Sign up.
    await page.goto(`${origin()}/signup`);
    await page.getByLabel('Name').fill(USER.name);
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password').fill(USER.password);
    await screenshot(page, '01-sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await screenshot(page, '02-check-your-inbox');

    // 2. The dev mailbox has the confirmation e-mail; its link opens the verify page.
    await page.goto(`${origin()}/dev/mailbox`);
    const message = page.getByTestId('mail-message').filter({ hasText: USER.email }).first();
    const verifyLink = message.locator('a[href*="/verify-email?token="]');
    await verifyLink.waitFor();
    await screenshot(page, '03-dev-mailbox');
    await verifyLink.click();
    await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    await screenshot(page, '04-email-confirmed');

    // 3. Log in with the password.
    await page.getByRole('link', { name: 'Log in' }).last().click();
    await page.waitForURL('**/login**');
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL('**/account');
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    expect(await page.getByTestId('account-email').textContent()).toBe(USER.email);
    await screenshot(page, '05-account');

    // 4. Turn on two-factor: read the secret shown for manual entry and compute the code.
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(
      await page.getByRole('img', { name: /QR code/ }).evaluate((image) => {
        return image instanceof HTMLImageElement && image.complete && image.naturalWidth > 0;
      }),
    ).toBe(true);
    await page.getByLabel('Confirmation code').fill(await totpCode(secret));
    await screenshot(page, '06-two-factor-setup');
    await page.getByRole('button', { name: 'Turn on' }).click();

    // 5. Recovery codes are shown once; confirm they are saved.
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await screenshot(page, '07-recovery-codes');
    await page.getByLabel('I have saved my recovery codes somewhere safe').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText('Logins ask for a code from your authenticator app.').waitFor();

    // 6. Log out from the header menu.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    await screenshot(page, '08-logged-out');

    // 7. Log back in: password, then a code. The code of the next time step, because the step
    // used to turn two-factor on is spent.
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByLabel('Authentication code').fill(await totpCode(secret, 1));
    await screenshot(page, '09-two-factor-login');
    await page.getByRole('button', { name: 'Verify' }).click();

    // 8. The account page, signed in, with two-factor on.
    await page.waitForURL('**/account');
    await page.getByText('Logins ask for a code from your authenticator app.').waitFor();
    expect(await page.getByTestId('user-menu').textContent()).toContain(USER.name);
    await screenshot(page, '10-account-two-factor-on');
    expect(errors).toEqual([]);
  });

  it('creates an organisation, shows a new API key once and records it in the audit log', async () => {
    if (!browser) throw new Error('beforeAll did not finish');
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    const page = await phone.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const owner = { ...USER, name: 'Grace Hopper', email: `grace-${USER.email}` };
    await signUpAndLogIn(page, origin(), owner);
    await screenshot(page, '11-account-phone-dark');

    await page.goto(`${origin()}/orgs`);
    await page.getByLabel('Name').fill('Compiler Team');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL('**/orgs/*/settings');
    await page.getByRole('heading', { name: 'Compiler Team', level: 1 }).waitFor();
    await page.getByRole('cell', { name: owner.email }).waitFor();
    await screenshot(page, '12-org-members-phone-dark');

    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByLabel('Name', { exact: true }).fill('CI pipeline');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-api-key').textContent()) ?? '';
    expect(key).toMatch(/^sy_[A-Za-z0-9]+_[A-Za-z0-9_-]+$/);
    await page.getByRole('cell', { name: /CI pipeline/ }).waitFor();
    await screenshot(page, '13-api-key-created-phone-dark');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('new-api-key').count()).toBe(0);
    // The list shows only the public prefix, never the secret.
    expect(await page.getByText(key).count()).toBe(0);

    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByText('api_key.created').waitFor();
    await screenshot(page, '14-audit-log-phone-dark');

    // Both the personal workspace made at sign-up and the new organisation are listed.
    await page.getByRole('link', { name: 'All organisations' }).click();
    await page.waitForURL('**/orgs');
    const orgs = page.getByRole('list', { name: 'Your organisations' }).getByRole('listitem');
    await orgs.first().waitFor();
    expect(await orgs.count()).toBe(2);
    expect(await orgs.filter({ hasText: 'Compiler Team' }).textContent()).toContain('Owner');
    await screenshot(page, '15-organisations-phone-dark');
    expect(errors).toEqual([]);
    await phone.close();
  });
});
