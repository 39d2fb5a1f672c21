import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPage } from '../testing/browser';
import { startFakeApi, type FakeApi } from '../testing/fake-api';
import { buildNextApp, RESULTS_DIR, startNextApp, type NextApp } from '../testing/next-app';

const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots');
// Under test-results (gitignored) and named .next so every tool already ignores it.
const E2E_DIST_DIR = 'test-results/.next';
// The page refreshes every 5 s; allow two rounds plus a slow machine.
const LIVE_UPDATE_TIMEOUT_MS = 15_000;

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

describe('web app against a fake api', () => {
  let api: FakeApi | undefined;
  let app: NextApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    api = await startFakeApi();
    const settings = { API_INTERNAL_URL: api.url, WEB_DIST_DIR: E2E_DIST_DIR };
    await buildNextApp(settings);
    app = await startNextApp(settings);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await api?.close();
  });

  function started() {
    if (!api || !app || !browser) throw new Error('beforeAll did not finish');
    return { api, app, browser };
  }

  /** Opens a page and records script errors and console errors other than failed fetches. */
  async function openPage(options: BrowserContextOptions, url: string) {
    const context = await started().browser.newContext(options);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // A 503 from /api/readyz is logged as a failed resource: that is the api's answer, not a bug.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text());
      }
    });
    const response = await page.goto(url);
    return { context, page, errors, response };
  }

  async function screenshot(page: Page, name: string) {
    await screenshotPage(page, SCREENSHOT_DIR, name);
  }

  it('serves the landing page with its heading, sections and security headers', async () => {
    const { app: web } = started();
    const { context, page, errors, response } = await openPage(DESKTOP, `${web.url}/`);

    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-powered-by']).toBeUndefined();

    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    expect(heading).toContain('A team of AI agents on your task');
    for (const section of ['Supervisor', 'Sequential', 'Handoff', 'Approvals', 'Budgets']) {
      expect(await page.getByRole('heading', { name: section }).count()).toBeGreaterThan(0);
    }
    expect(await page.getByRole('link', { name: 'API docs' }).first().getAttribute('href')).toBe(
      '/api/docs',
    );
    await screenshot(page, 'home-desktop-light');
    expect(errors).toEqual([]);
    await context.close();

    const phone = await openPage({ ...PHONE, colorScheme: 'dark' }, `${web.url}/`);
    await screenshot(phone.page, 'home-phone-dark');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it('proxies /api/* to the api', async () => {
    const { app: web } = started();
    const response = await fetch(`${web.url}/api/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready' });
  });

  it('shows every check ready, then redis failing once the api reports it, without a reload', async () => {
    const { api: fakeApi, app: web } = started();
    fakeApi.setReadiness('ready');
    const { context, page, errors } = await openPage(
      { ...DESKTOP, colorScheme: 'dark' },
      `${web.url}/status`,
    );

    expect(await page.getByTestId('readiness-state').textContent()).toBe('Ready');
    for (const name of ['postgres', 'redis', 'migrations']) {
      const check = page.getByTestId(`check-${name}`);
      expect(await check.getAttribute('data-ok')).toBe('true');
      expect(await check.textContent()).toContain('ok');
    }
    await screenshot(page, 'status-ready-dark');

    fakeApi.setReadiness('redis-failing');
    await page
      .locator('[data-testid="check-redis"][data-ok="false"]')
      .waitFor({ timeout: LIVE_UPDATE_TIMEOUT_MS });
    expect(await page.getByTestId('readiness-state').textContent()).toBe('Not ready');
    expect(await page.getByTestId('check-redis').textContent()).toContain('error');
    expect(await page.getByTestId('check-postgres').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('readiness-summary').textContent()).toContain(
      'redis did not answer PING',
    );
    await screenshot(page, 'status-redis-failing-dark');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says the api is unreachable when it stops answering', async () => {
    const { api: fakeApi, app: web } = started();
    fakeApi.setReadiness('down');
    const { context, page } = await openPage(DESKTOP, `${web.url}/status`);
    expect(await page.getByTestId('readiness-state').textContent()).toBe('Unreachable');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('System status');
    expect(await page.getByTestId('readiness-summary').textContent()).toContain('API unreachable');
    await screenshot(page, 'status-unreachable-light');

    fakeApi.setReadiness('ready');
    await page
      .locator('[data-testid="readiness-summary"][data-state="ready"]')
      .waitFor({ timeout: LIVE_UPDATE_TIMEOUT_MS });
    await context.close();
  });

  it('answers unknown pages with the not-found page', async () => {
    const { app: web } = started();
    const { context, page, response } = await openPage(PHONE, `${web.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'This page does not exist',
    );
    await screenshot(page, 'not-found-phone-light');
    await context.close();
  });
});
