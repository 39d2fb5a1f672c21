import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import { startWorkersProcess, type WorkersProcess } from '../testing/workers-process';

const SCREENSHOT_DIR =
  process.env.E2E_SCREENSHOT_DIR ?? path.join(RESULTS_DIR, 'screenshots', 'run-live-view');
// Its own build: the /api rewrite points at this test's api.
const E2E_DIST_DIR = 'test-results/runs/.next';
const AUTH_SECRET = 'e2e-test-auth-secret-0123456789abcdefghijklmnop';
const STEP_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 30_000;
const SUFFIX = Date.now().toString(36);
// Its own BullMQ prefix, so other tests sharing this Redis never see (or run) these jobs.
const QUEUE_PREFIX = `e2e-web-runs-${SUFFIX}`;

const ADMIN = {
  name: 'Margaret Hamilton',
  email: `margaret-${SUFFIX}@example.com`,
  password: 'apollo guidance computer 1969',
};
const MEMBER = {
  name: 'Alan Turing',
  email: `alan-${SUFFIX}@example.com`,
  password: 'on computable numbers 1936',
};

describe('runs: create an agent, start runs and watch them live, approve a step', () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let api: ApiServer | undefined;
  let workers: WorkersProcess | undefined;
  let web: NextApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let orgId = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-web-runs-'));
    const [apiPort, webPort, workersPort] = [
      await getFreePort(),
      await getFreePort(),
      await getFreePort(),
    ];
    const publicUrl = `http://localhost:${webPort}`;
    const shared = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX,
    };
    api = await startApiServer(
      {
        ...shared,
        API_PORT: String(apiPort),
        PUBLIC_URL: publicUrl,
        AUTH_SECRET,
        PLATFORM_ADMIN_EMAILS: ADMIN.email,
      },
      { logName: 'runs-api.log' },
    );
    workers = await startWorkersProcess(
      { ...shared, WORKERS_HEALTH_PORT: String(workersPort), DATA_DIR: dataDir },
      { logName: 'runs-workers.log' },
    );
    const settings = { API_INTERNAL_URL: api.url, WEB_DIST_DIR: E2E_DIST_DIR };
    await buildNextApp(settings, { logName: 'runs-next-build.log' });
    web = await startNextApp(settings, { port: webPort, logName: 'runs-next-start.log' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await web?.stop();
    await workers?.stop();
    await api?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function origin(): string {
    if (!web) throw new Error('beforeAll did not finish');
    return publicOrigin(web);
  }

  async function screenshot(page: Page, name: string) {
    await screenshotPage(page, SCREENSHOT_DIR, name);
  }

  async function openPage(target: BrowserContext) {
    const page = await target.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  }

  /** Signs `user` up, confirms the address from the dev mailbox and logs in. */
  async function waitForRunStatus(page: Page, label: string) {
    await page
      .getByTestId('run-status')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .waitFor({ timeout: RUN_TIMEOUT_MS });
  }

  /** Starts a run of the agent from the "New run" form and lands on its live page. */
  async function startRun(page: Page, task: string) {
    await page.goto(`${origin()}/orgs/${orgId}/runs/new`);
    await page.getByLabel('Agent or team').selectOption({ label: 'Calculator (v2, scripted)' });
    await page.getByLabel('Task').fill(task);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  }

  it('creates a scripted agent, runs it and shows the live step tree and the result', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await signUpAndLogIn(page, origin(), ADMIN);

    // The personal workspace made at sign-up; its settings page links to its runs.
    await page.goto(`${origin()}/orgs`);
    await page.getByRole('list', { name: 'Your organisations' }).getByRole('link').first().click();
    await page.waitForURL('**/orgs/*/settings');
    orgId = new URL(page.url()).pathname.split('/')[2] ?? '';
    await page
      .getByRole('navigation', { name: 'Organisation' })
      .getByRole('link', { name: 'Agents' })
      .click();
    await page.getByText('No agents yet').waitFor();

    // A scripted (offline) agent with the calculator and ask_human tools.
    await page.getByRole('link', { name: 'New agent' }).click();
    await page.getByLabel('Name').fill('Calculator');
    await page.getByLabel('Instructions').fill('You compute what is asked and answer briefly.');
    expect(await page.getByLabel('Provider').inputValue()).toBe('scripted');
    expect(await page.getByLabel('Model').inputValue()).toBe('scripted');
    await page.getByLabel(/^Calculator/).check();
    await page.getByLabel(/^Ask a person/).check();
    await screenshot(page, '01-new-agent');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
    await page.getByRole('list', { name: 'Agent versions' }).getByText('v1').waitFor();

    // Edit: a second version appears.
    await page.getByLabel('Max steps').fill('8');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByRole('list', { name: 'Agent versions' }).getByText('v2').waitFor();
    await screenshot(page, '02-agent-versions');

    // Start a run from the agent page.
    await page.getByRole('link', { name: 'Run this agent' }).click();
    await page.waitForURL('**/runs/new?agentId=*');
    await page.getByLabel('Task').fill('What is 6 * 7?');
    await page.getByLabel('Max tokens').fill('50000');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await waitForRunStatus(page, 'Succeeded');
    const result = page.getByTestId('run-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Scripted answer to: What is 6 * 7?');
    expect(await result.textContent()).toMatch(/calculator: .*42/);
    // The step tree: the agent turn with its model calls and the calculator call beneath it.
    const steps = page.getByRole('list', { name: 'Steps' });
    await steps.locator('[data-step-kind="agent_turn"][data-step-status="succeeded"]').waitFor();
    expect(await steps.locator('[data-step-kind="tool_call"]').count()).toBe(1);
    expect(await steps.locator('[data-step-kind="model_call"]').count()).toBe(2);
    await page.getByText('Event log').click();
    expect(
      await page.getByRole('list', { name: 'Events' }).getByRole('listitem').count(),
    ).toBeGreaterThan(3);
    await screenshot(page, '03-run-finished');
    expect(errors).toEqual([]);
  });

  it('parks a run for a person, shows it live, and resumes it when approved', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await startRun(page, 'Please ask a human which colour the report should use.');

    await waitForRunStatus(page, 'Waiting for approval');
    const approval = page.getByTestId('approval');
    await approval.waitFor();
    expect(await approval.textContent()).toContain('which colour the report should use');
    expect(await page.getByTestId('stream-state').textContent()).toContain('Live');
    await screenshot(page, '04-run-live-waiting-for-approval');

    await approval.getByLabel('Your answer').fill('Teal, please.');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await waitForRunStatus(page, 'Succeeded');
    const result = page.getByTestId('run-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('ask_human');
    expect(await result.textContent()).toContain('Teal, please.');
    expect(await page.getByTestId('approval').count()).toBe(0);

    // Every event once, in order, even though the stream carried the run across the pause.
    await page.getByText('Event log').click();
    const events = page.getByRole('list', { name: 'Events' }).getByRole('listitem');
    const seqs = (await events.allTextContents()).map((text) => Number(/#(\d+)/.exec(text)?.[1]));
    expect(seqs.length).toBeGreaterThan(5);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(
      (await events.allTextContents()).filter((text) => text.includes('Approval requested')),
    ).toHaveLength(1);
    await screenshot(page, '05-run-approved-finished');
    expect(errors).toEqual([]);
  });

  it('rejects an approval with a reason, which cancels the run', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await startRun(page, 'Ask a human whether to publish.');
    const approval = page.getByTestId('approval');
    await approval.waitFor({ timeout: RUN_TIMEOUT_MS });
    await approval.getByRole('button', { name: 'Reject…' }).click();
    await approval.getByLabel('Reason for rejecting (optional)').fill('Not today.');
    await approval.getByRole('button', { name: 'Reject and cancel the run' }).click();
    await waitForRunStatus(page, 'Cancelled');
    await page.getByTestId('run-error').waitFor();
    expect(errors).toEqual([]);
  });

  it('lists runs with a status filter and pages with "Load more"', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    // Enough runs for a second page, started through the api with the browser's session.
    const csrf = (await context.cookies()).find((cookie) => cookie.name === '__Host-sy_csrf');
    const agents = await context.request.get(`${origin()}/api/v1/orgs/${orgId}/agents`);
    const agentId = ((await agents.json()) as { agents: { id: string }[] }).agents[0]?.id ?? '';
    for (let index = 0; index < 20; index += 1) {
      const response = await context.request.post(`${origin()}/api/v1/orgs/${orgId}/runs`, {
        headers: { 'x-csrf-token': csrf?.value ?? '', origin: origin() },
        data: { target: { kind: 'agent', agentId }, input: `Compute ${index} + 1` },
      });
      expect(response.status()).toBe(202);
    }

    await page.goto(`${origin()}/orgs/${orgId}/runs`);
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT_MS }).toBe(23);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByLabel('Status').selectOption('cancelled');
    await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT_MS }).toBe(1);
    expect(await rows.first().textContent()).toContain('Ask a human whether to publish.');
    await page.getByLabel('Status').selectOption('all');
    await rows.nth(19).waitFor();
    await screenshot(page, '06-runs-list');
    expect(errors).toEqual([]);
  });

  it('stops a run at its budget and retries it with a larger one', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await page.goto(`${origin()}/orgs/${orgId}/runs/new`);
    await page.getByLabel('Agent or team').selectOption({ label: 'Calculator (v2, scripted)' });
    await page.getByLabel('Task').fill('What is 12 * 12?');
    await page.getByLabel('Max tokens').fill('1');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await waitForRunStatus(page, 'Failed');
    expect(await page.getByTestId('run-error').textContent()).toContain('budget_exceeded');
    await screenshot(page, '06a-run-failed-budget');

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByLabel('New max tokens (optional)').fill('50000');
    await page.getByRole('button', { name: 'Retry run' }).click();
    // The stream, closed after the failure, is followed again and sees the run through.
    await waitForRunStatus(page, 'Succeeded');
    expect(await page.getByTestId('run-result').textContent()).toMatch(/calculator: .*144/);
    await page.getByText('Event log').click();
    const events = await page
      .getByRole('list', { name: 'Events' })
      .getByRole('listitem')
      .allTextContents();
    expect(events.filter((text) => text.includes('run.retried'))).toHaveLength(1);
    const seqs = events.map((text) => Number(/#(\d+)/.exec(text)?.[1]));
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(errors).toEqual([]);
  });

  it('cancels an active run from its page', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await startRun(page, 'Ask a human before you compute 3 * 3.');
    await page.getByTestId('approval').waitFor({ timeout: RUN_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel run' }).click();
    await waitForRunStatus(page, 'Cancelled');
    await page.getByTestId('run-error').waitFor();
    expect(await page.getByTestId('approval').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('runs a supervisor team whose plan waits for approval with an edited task', async () => {
    if (!context || !browser) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    const csrf = (await context.cookies()).find((cookie) => cookie.name === '__Host-sy_csrf');
    const writer = await context.request.post(`${origin()}/api/v1/orgs/${orgId}/agents`, {
      headers: { 'x-csrf-token': csrf?.value ?? '', origin: origin() },
      data: {
        name: 'Writer',
        instructions: 'You write short, clear notes.',
        provider: 'scripted',
        model: 'scripted',
      },
    });
    expect(writer.status()).toBe(201);

    await page.goto(`${origin()}/orgs/${orgId}/teams`);
    await page.getByText('No teams yet.').waitFor();
    await page.getByLabel('Team name').fill('Desk');
    expect(await page.getByLabel('Strategy').inputValue()).toBe('supervisor');
    await page.getByLabel('Planner').selectOption({ label: 'Calculator' });
    await page.getByLabel('Require approval of each plan').check();
    await page.getByRole('group', { name: 'Members' }).getByLabel('Calculator').check();
    await page.getByRole('group', { name: 'Members' }).getByLabel('Writer').check();
    await page.getByRole('button', { name: 'Create team' }).click();
    const team = page.getByRole('list', { name: 'Teams' }).getByRole('listitem').first();
    await team.getByText('Plans need approval').waitFor();
    await screenshot(page, '06b-teams');

    await team.getByRole('link', { name: 'Run this team' }).click();
    await page.waitForURL('**/runs/new?teamId=*');
    await page.getByLabel('Task').fill('Write a short note about 2 + 2.');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);

    const approval = page.getByTestId('approval');
    await approval.getByRole('heading', { name: 'Approve the plan?' }).waitFor({
      timeout: RUN_TIMEOUT_MS,
    });
    await waitForRunStatus(page, 'Waiting for approval');
    await approval.getByLabel('Task of subtask s1').fill('Work out 2 + 2 and state the sum.');
    await screenshot(page, '06c-team-run-plan-approval');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await waitForRunStatus(page, 'Succeeded');
    await page.getByTestId('run-result').waitFor();

    const steps = page.getByRole('list', { name: 'Steps' });
    expect(await steps.locator('[data-step-kind="plan"]').count()).toBe(1);
    expect(await steps.locator('[data-step-kind="synthesis"]').count()).toBe(1);
    expect(await steps.locator('[data-step-kind="agent_turn"]').count()).toBe(2);
    // The approver's wording reached the subtask.
    await steps.getByText('Work out 2 + 2 and state the sum.').first().waitFor();
    await screenshot(page, '06d-team-run-finished');

    // The same page on a phone, in dark mode.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
      storageState: await context.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(page.url());
    await phonePage.getByTestId('run-result').waitFor({ timeout: STEP_TIMEOUT_MS });
    await screenshot(phonePage, '06e-team-run-phone-dark');
    await phone.close();
    expect(errors).toEqual([]);
  });

  it('shows the worker manager to a platform admin only', async () => {
    if (!context || !browser) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await page.goto(`${origin()}/account`);
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Worker manager' }).click();
    await page.waitForURL('**/admin/workers');
    await page.getByRole('heading', { name: 'Worker manager', level: 1 }).waitFor();
    await page.getByTestId('queue-steps').waitFor();
    const worker = page.getByTestId('worker').first();
    await worker.waitFor();
    expect(await worker.textContent()).toContain('Alive');
    expect(await page.getByTestId('queue-steps').textContent()).toContain('Pause');
    await screenshot(page, '07-worker-manager');

    // Pause and resume the steps queue from the page.
    await page.getByRole('button', { name: 'Pause the steps queue' }).click();
    await page.getByTestId('queue-steps').getByText('Paused').waitFor();
    await page.getByRole('button', { name: 'Resume the steps queue' }).click();
    await expect.poll(() => page.getByTestId('queue-steps').getByText('Paused').count()).toBe(0);

    // Failed jobs, answered by stand-ins for the api (a real one is hard to provoke here).
    const calls: string[] = [];
    const failedJob = (id: string) => ({
      id,
      name: 'execute-step',
      state: 'failed',
      data: { stepId: id },
      attemptsMade: 4,
      failedReason: `step ${id} kept timing out`,
      createdAt: new Date().toISOString(),
      processedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    });
    await page.route('**/api/v1/admin/queues', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        queues: { name: string; counts: { failed: number } }[];
      };
      for (const queue of body.queues) if (queue.name === 'steps') queue.counts.failed = 2;
      await route.fulfill({ response, json: body });
    });
    await page.route(
      (url) => url.pathname.startsWith('/api/v1/admin/queues/steps/jobs'),
      async (route) => {
        const request = route.request();
        const { pathname, search } = new URL(request.url());
        calls.push(`${request.method()} ${pathname}${search}`);
        if (request.method() === 'GET') {
          await route.fulfill({
            json: { jobs: [failedJob('job-1'), failedJob('job-2')], total: 2 },
          });
        } else if (request.method() === 'POST') {
          await route.fulfill({ json: { job: { ...failedJob('job-1'), state: 'waiting' } } });
        } else {
          await route.fulfill({ status: 204, body: '' });
        }
      },
    );
    const failed = page.getByRole('list', { name: 'Failed jobs of steps' });
    await failed.getByText('step job-1 kept timing out').waitFor();
    await screenshot(page, '07b-worker-manager-failed-jobs');
    await failed
      .getByRole('listitem')
      .filter({ hasText: 'job-1' })
      .getByRole('button', { name: 'Retry' })
      .click();
    await failed
      .getByRole('listitem')
      .filter({ hasText: 'job-2' })
      .getByRole('button', { name: 'Discard' })
      .click();
    await expect
      .poll(() => calls.filter((call) => !call.startsWith('GET')))
      .toEqual([
        'POST /api/v1/admin/queues/steps/jobs/job-1/retry',
        'DELETE /api/v1/admin/queues/steps/jobs/job-2',
      ]);
    expect(calls[0]).toBe('GET /api/v1/admin/queues/steps/jobs?state=failed&limit=20&offset=0');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    expect(errors).toEqual([]);

    // Someone else: no link in the menu, and the page says so instead of failing.
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page: memberPage, errors: memberErrors } = await openPage(other);
    await signUpAndLogIn(memberPage, origin(), MEMBER);
    await memberPage.getByTestId('user-menu').click();
    expect(await memberPage.getByRole('menuitem', { name: 'Worker manager' }).count()).toBe(0);
    await memberPage.keyboard.press('Escape');
    await memberPage.goto(`${origin()}/admin/workers`);
    await memberPage.getByTestId('not-allowed').waitFor();
    await screenshot(memberPage, '08-worker-manager-not-allowed');
    expect(memberErrors).toEqual([]);
    await other.close();
  });
});
