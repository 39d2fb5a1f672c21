import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { callApi, signUpAndLogIn } from '../testing/accounts';
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

const SCREENSHOT_DIR =
  process.env.E2E_SCREENSHOT_DIR ?? path.join(RESULTS_DIR, 'screenshots', 'schedules');
// Its own build: the /api rewrite points at this test's api.
const E2E_DIST_DIR = 'test-results/schedules/.next';
const AUTH_SECRET = 'e2e-test-auth-secret-0123456789abcdefghijklmnop';
const STEP_TIMEOUT_MS = 20_000;
const SUFFIX = Date.now().toString(36);
// Its own BullMQ prefix: the api registers each schedule's job scheduler there.
const QUEUE_PREFIX = `e2e-web-schedules-${SUFFIX}`;

const OWNER = {
  name: 'Katherine Johnson',
  email: `katherine-${SUFFIX}@example.com`,
  password: 'orbital mechanics by hand 1962',
};
const VIEWER = {
  name: 'Dorothy Vaughan',
  email: `dorothy-${SUFFIX}@example.com`,
  password: 'fortran for the whole section',
};

type ScheduleBody = {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  paused: boolean;
  target: {
    kind: string;
    id: string;
    input: string;
    priority?: number;
    budget?: Record<string, number>;
  };
  nextRunAt: string | null;
};
type TeamBody = {
  name: string;
  strategy: string;
  planner: { agentId: string; version: number } | null;
  members: { agentId: string; version: number }[];
  requirePlanApproval: boolean;
};

describe('schedules, agent deletion and team editing in the browser', () => {
  let database: TestDatabase | undefined;
  let api: ApiServer | undefined;
  let web: NextApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let orgId = '';
  const agentIds: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const [apiPort, webPort] = [await getFreePort(), await getFreePort()];
    api = await startApiServer(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX,
        API_PORT: String(apiPort),
        PUBLIC_URL: `http://localhost:${webPort}`,
        AUTH_SECRET,
      },
      { logName: 'schedules-api.log' },
    );
    const settings = { API_INTERNAL_URL: api.url, WEB_DIST_DIR: E2E_DIST_DIR };
    await buildNextApp(settings, { logName: 'schedules-next-build.log' });
    web = await startNextApp(settings, { port: webPort, logName: 'schedules-next-start.log' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    // Schedules left registered would keep their job schedulers in the shared Redis.
    if (context && orgId) {
      for (const schedule of await listSchedules().catch(() => [])) {
        await callApi(context, origin(), 'DELETE', `/orgs/${orgId}/schedules/${schedule.id}`);
      }
    }
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

  async function openPage(target: BrowserContext) {
    const page = await target.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  }

  /** The owner's call to the api; fails the test unless it answers `status`. */
  async function ownerApi<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    apiPath: string,
    data?: unknown,
    status = method === 'POST' ? 201 : 200,
  ): Promise<T> {
    if (!context) throw new Error('beforeAll did not finish');
    const response = await callApi(context, origin(), method, apiPath, data);
    expect(response.status(), `${method} ${apiPath}: ${await response.text()}`).toBe(status);
    return (status === 204 ? null : await response.json()) as T;
  }

  async function createAgent(name: string): Promise<string> {
    const agent = await ownerApi<{ id: string }>('POST', `/orgs/${orgId}/agents`, {
      name,
      instructions: `You are ${name}. Answer briefly.`,
      provider: 'scripted',
      model: 'scripted',
    });
    agentIds[name] = agent.id;
    return agent.id;
  }

  /** `url` on a phone in dark mode, signed in as the owner. */
  async function screenshotOnPhone(
    url: string,
    name: string,
    waitUntilReady: (page: Page) => Promise<void>,
  ) {
    if (!browser || !context) throw new Error('beforeAll did not finish');
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
      storageState: await context.storageState(),
    });
    const { page, errors } = await openPage(phone);
    await page.goto(url);
    await waitUntilReady(page);
    await screenshot(page, name);
    expect(errors).toEqual([]);
    await phone.close();
  }

  const listSchedules = async () =>
    (await ownerApi<{ schedules: ScheduleBody[] }>('GET', `/orgs/${orgId}/schedules`)).schedules;

  it('creates a schedule with field errors and a preview, pauses, resumes and deletes it', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await signUpAndLogIn(page, origin(), OWNER);
    // Not the personal workspace: a viewer is invited later, and personal ones take no members.
    orgId = (await ownerApi<{ id: string }>('POST', '/orgs', { name: 'Mission Control' })).id;
    for (const name of ['Reporter', 'Writer', 'Checker']) await createAgent(name);
    await page.goto(`${origin()}/orgs/${orgId}/settings`);

    await page
      .getByRole('navigation', { name: 'Organisation' })
      .getByRole('link', { name: 'Schedules' })
      .click();
    await page.waitForURL('**/schedules');
    await page.getByText('No schedules yet').waitFor();
    await screenshot(page, '01-schedules-empty');

    await page.getByLabel('Name', { exact: true }).fill('Morning report');
    await page.getByLabel('Agent or team').selectOption({ label: 'Reporter (v1, scripted)' });
    await page.getByLabel('Task').fill('Summarise the support tickets of yesterday.');
    await page.getByLabel('Cron pattern').fill('61 9 * * *');
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel('Max tokens').fill('0');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    // Checked in the page, as the api would.
    await page.getByText('The minute must be from 0 to 59').waitFor();

    await page.getByRole('button', { name: 'Weekdays at 09:00' }).click();
    expect(await page.getByLabel('Cron pattern').inputValue()).toBe('0 9 * * 1-5');
    const preview = (await page.getByTestId('cron-preview').textContent()) ?? '';
    expect(preview).toMatch(/^Next: (Mon|Tue|Wed|Thu|Fri), .* 09:00 · /);
    expect(preview).toContain('(Europe/Paris)');
    expect(preview).not.toMatch(/Sat|Sun/);
    // Only the api refuses a zero budget: its problem+json error lands under the field.
    await page.getByRole('button', { name: 'Create schedule' }).click();
    const maxTokens = page.getByLabel('Max tokens');
    await expect.poll(() => maxTokens.getAttribute('aria-invalid')).toBe('true');
    const maxTokensError = (await maxTokens.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${maxTokensError}"]`).textContent()).toMatch(/1/);
    expect(await listSchedules()).toHaveLength(0);
    await screenshot(page, '02-schedule-field-errors');

    await maxTokens.fill('20000');
    await page.getByLabel('Priority').selectOption('8');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByRole('status').getByText('Created “Morning report”.').waitFor();
    const row = page.getByTestId('schedule').filter({ hasText: 'Morning report' });
    await row.getByText('Active').waitFor();
    expect(await row.getByTestId('schedule-next-run').textContent()).not.toBe('—');
    expect(await row.textContent()).toContain('0 9 * * 1-5');
    expect(await row.textContent()).toContain('Reporter');
    const [created] = await listSchedules();
    expect(created).toMatchObject({
      name: 'Morning report',
      cron: '0 9 * * 1-5',
      timezone: 'Europe/Paris',
      paused: false,
      target: {
        kind: 'agent',
        id: agentIds.Reporter,
        priority: 8,
        budget: { maxTokens: 20_000 },
      },
    });
    await screenshot(page, '03-schedule-created');

    await row.getByRole('button', { name: 'Pause “Morning report”' }).click();
    await row.getByText('Paused', { exact: true }).waitFor();
    await expect
      .poll(() => row.getByTestId('schedule-next-run').textContent())
      .toBe('None while paused');
    expect((await listSchedules())[0]?.paused).toBe(true);
    await screenshot(page, '04-schedule-paused');
    await screenshotOnPhone(page.url(), '04b-schedules-phone-dark', async (phonePage) => {
      await phonePage.getByTestId('schedule').first().waitFor();
    });
    await row.getByRole('button', { name: 'Resume “Morning report”' }).click();
    await row.getByText('Active').waitFor();
    expect((await listSchedules())[0]?.paused).toBe(false);

    // A refusal (say, the role was lowered meanwhile) is shown, and nothing changes.
    const pausePath = `**/api/v1/orgs/${orgId}/schedules/*/pause`;
    await page.route(pausePath, (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          title: 'Forbidden',
          status: 403,
          code: 'FORBIDDEN',
          detail: 'Your role does not allow this.',
        }),
      }),
    );
    await row.getByRole('button', { name: 'Pause “Morning report”' }).click();
    await page
      .getByText('Could not pause “Morning report”: Your role does not allow this.')
      .waitFor();
    expect(await row.getByText('Active').count()).toBe(1);
    await page.unroute(pausePath);

    await row.getByRole('button', { name: 'Delete “Morning report”' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Runs it already started are kept.').waitFor();
    await screenshot(page, '05-schedule-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete schedule' }).click();
    await page.getByText('No schedules yet').waitFor();
    expect(await listSchedules()).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('edits a schedule: only what changed is sent, and the api’s refusal lands under the field', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    const schedule = await ownerApi<ScheduleBody>('POST', `/orgs/${orgId}/schedules`, {
      name: 'Evening summary',
      cron: '0 18 * * 1-5',
      timezone: 'Europe/Paris',
      target: { kind: 'agent', agentId: agentIds.Reporter },
      input: 'Summarise the day.',
      priority: 7,
      // maxSteps has no field in the form: an edit must keep it.
      budget: { maxTokens: 10_000, maxSteps: 12 },
    });
    const patches: unknown[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && request.url().includes(`/schedules/${schedule.id}`)) {
        patches.push(request.postDataJSON());
      }
    });

    await page.goto(`${origin()}/orgs/${orgId}/schedules`);
    const row = page.getByTestId('schedule').filter({ hasText: 'Evening summary' });
    await row.getByText('Active', { exact: true }).waitFor();
    // The next run is the api's.
    const nextRun = row.getByTestId('schedule-next-run').locator('time');
    expect(await nextRun.getAttribute('datetime')).toBe(schedule.nextRunAt);
    await row.getByText('Priority 7').waitFor();

    await row.getByRole('button', { name: 'Edit “Evening summary”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit “Evening summary”' });
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('Evening summary');
    expect(await dialog.getByLabel('Agent or team').inputValue()).toBe(
      `agent:${agentIds.Reporter ?? ''}`,
    );
    expect(await dialog.getByLabel('Task').inputValue()).toBe('Summarise the day.');
    expect(await dialog.getByLabel('Cron pattern').inputValue()).toBe('0 18 * * 1-5');
    expect(await dialog.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
    expect(await dialog.getByLabel('Priority').inputValue()).toBe('7');
    expect(await dialog.getByLabel('Max tokens').inputValue()).toBe('10000');
    // Pausing has its own button on the row.
    expect(await dialog.getByLabel('Create it paused').count()).toBe(0);
    await screenshot(page, '12-schedule-edit');

    // "#6" passes the page's checks (it previews no L or # patterns) but not the api's.
    await dialog.getByLabel('Cron pattern').fill('0 9 * * 1#6');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const cron = dialog.getByLabel('Cron pattern');
    await expect.poll(() => cron.getAttribute('aria-invalid')).toBe('true');
    const cronError = (await cron.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
    expect(await dialog.locator(`[id="${cronError}"]`).textContent()).toBe(
      'Must be a cron pattern such as "0 9 * * 1-5"',
    );
    expect(patches).toEqual([{ cron: '0 9 * * 1#6' }]);
    await screenshot(page, '13-schedule-edit-cron-error');

    await cron.fill('30 7 * * *');
    await dialog.getByLabel('Time zone').fill('Asia/Tokyo');
    await dialog.getByLabel('Priority').selectOption('');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(patches[1]).toEqual({ cron: '30 7 * * *', timezone: 'Asia/Tokyo', priority: null });

    await expect.poll(() => row.locator('code').last().textContent()).toBe('30 7 * * *');
    expect(await row.textContent()).toContain('Asia/Tokyo');
    expect(await row.getByText('Priority 7').count()).toBe(0);
    const saved = await ownerApi<ScheduleBody>('GET', `/orgs/${orgId}/schedules/${schedule.id}`);
    expect(saved).toMatchObject({
      cron: '30 7 * * *',
      timezone: 'Asia/Tokyo',
      target: { input: 'Summarise the day.', budget: { maxTokens: 10_000, maxSteps: 12 } },
    });
    expect(saved.target.priority).toBeUndefined();
    // 07:30 in Tokyo is 22:30 UTC; the row shows the api's next run.
    const next = new Date(saved.nextRunAt ?? '');
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([22, 30]);
    expect(await nextRun.getAttribute('datetime')).toBe(saved.nextRunAt);
    await screenshot(page, '14-schedule-edited');

    // Saving without a change says so and sends nothing.
    await row.getByRole('button', { name: 'Edit “Evening summary”' }).click();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText('Nothing changed.').waitFor();
    expect(patches).toHaveLength(2);
    await screenshotOnPhone(page.url(), '14b-schedule-edit-phone-dark', async (phonePage) => {
      await phonePage
        .getByTestId('schedule')
        .filter({ hasText: 'Evening summary' })
        .getByRole('button', { name: 'Edit “Evening summary”' })
        .click();
      await phonePage.getByRole('dialog').getByLabel('Cron pattern').waitFor();
    });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await ownerApi('DELETE', `/orgs/${orgId}/schedules/${schedule.id}`);
    expect(errors).toEqual([]);
  });

  it('refuses to delete an agent a schedule starts, then deletes it once the schedule is gone', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    const scratchId = await createAgent('Scratch');
    const schedule = await ownerApi<{ id: string }>('POST', `/orgs/${orgId}/schedules`, {
      name: 'Nightly clean-up',
      cron: '0 2 * * *',
      target: { kind: 'agent', agentId: scratchId },
      input: 'Tidy the shared files.',
    });

    await page.goto(`${origin()}/orgs/${orgId}/agents/${scratchId}`);
    await page.getByRole('heading', { name: 'Scratch', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete agent' }).click();
    const dialog = page.getByRole('dialog');
    const warning = dialog.getByTestId('schedules-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('“Nightly clean-up”');
    await screenshot(page, '06-agent-delete-dialog');
    // The api refuses (409) and names the schedule; the dialog shows it and the agent stays.
    await dialog.getByRole('button', { name: 'Delete agent' }).click();
    await dialog
      .getByText('The agent is started by the schedule “Nightly clean-up”', { exact: false })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/agents/${scratchId}`);
    await screenshot(page, '07-agent-delete-refused');
    await ownerApi('GET', `/orgs/${orgId}/agents/${scratchId}`);

    await ownerApi('DELETE', `/orgs/${orgId}/schedules/${schedule.id}`);
    await dialog.getByRole('button', { name: 'Delete agent' }).click();
    await page.waitForURL(`**/orgs/${orgId}/agents`);
    await page.getByRole('link', { name: 'Reporter' }).waitFor();
    expect(await page.getByRole('link', { name: 'Scratch' }).count()).toBe(0);
    await ownerApi('GET', `/orgs/${orgId}/agents/${scratchId}`, undefined, 404);
    expect(errors).toEqual([]);
  });

  it('edits a team’s name, strategy and members, keeps pinned versions, then deletes it', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    const { Reporter: reporterId = '', Writer: writerId = '', Checker: checkerId = '' } = agentIds;
    const team = await ownerApi<{ id: string }>('POST', `/orgs/${orgId}/teams`, {
      name: 'Desk',
      strategy: 'supervisor',
      planner: { agentId: reporterId },
      members: [{ agentId: reporterId }, { agentId: writerId }],
      requirePlanApproval: true,
    });
    // Writer gets a version 2 after the team pinned version 1.
    await ownerApi('PATCH', `/orgs/${orgId}/agents/${writerId}`, { maxSteps: 5 });

    await page.goto(`${origin()}/orgs/${orgId}/teams`);
    const item = page.getByTestId('team').filter({ hasText: 'Desk' });
    await item.getByText('Plans need approval').waitFor();
    await item.getByRole('button', { name: 'Edit “Desk”' }).click();
    const editor = page.getByRole('listitem', { name: 'Edit Desk' });
    expect(await editor.getByLabel('Team name').inputValue()).toBe('Desk');
    expect(await editor.getByLabel('Planner', { exact: true }).inputValue()).toBe(reporterId);
    await editor.getByText('v1 (v2 available)').waitFor();
    await editor.getByLabel('Team name').fill('Desk (EU)');
    await editor.getByLabel('Strategy').selectOption('sequential');
    expect(await editor.getByLabel('Planner', { exact: true }).count()).toBe(0);
    const members = editor.getByRole('group', { name: /^Members/ });
    await members.getByLabel('Reporter').uncheck();
    await members.getByLabel('Checker').check();
    await screenshot(page, '08-team-edit');
    await editor.getByRole('button', { name: 'Save changes' }).click();

    const edited = page.getByTestId('team').filter({ hasText: 'Desk (EU)' });
    await edited.getByText('Sequential').waitFor();
    expect(await edited.getByText('Plans need approval').count()).toBe(0);
    expect(await ownerApi<TeamBody>('GET', `/orgs/${orgId}/teams/${team.id}`)).toMatchObject({
      name: 'Desk (EU)',
      strategy: 'sequential',
      planner: null,
      requirePlanApproval: false,
      // Writer stays at the version it was pinned at; Checker joins at its current one.
      members: [
        { agentId: writerId, version: 1 },
        { agentId: checkerId, version: 1 },
      ],
    });
    await screenshot(page, '09-team-edited');

    // Saving without a change says so; moving to the newest versions re-pins Writer.
    await edited.getByRole('button', { name: 'Edit “Desk (EU)”' }).click();
    const again = page.getByRole('listitem', { name: 'Edit Desk (EU)' });
    await again.getByRole('button', { name: 'Save changes' }).click();
    await again.getByText('Nothing changed.').waitFor();
    await again.getByLabel('Move members and the planner to their newest versions').check();
    await again.getByRole('button', { name: 'Save changes' }).click();
    await edited.getByText('Writer v2').waitFor();
    const repinned = await ownerApi<TeamBody>('GET', `/orgs/${orgId}/teams/${team.id}`);
    expect(repinned.members).toEqual([
      { agentId: writerId, version: 2 },
      { agentId: checkerId, version: 1 },
    ]);

    await edited.getByRole('button', { name: 'Delete “Desk (EU)”' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete team' }).click();
    await page.getByText('No teams yet.').waitFor();
    await ownerApi('GET', `/orgs/${orgId}/teams/${team.id}`, undefined, 404);
    expect(errors).toEqual([]);
  });

  it('starts a run with a chosen priority, offering only what the plan tier allows', async () => {
    if (!context) throw new Error('beforeAll did not finish');
    const { page, errors } = await openPage(context);
    await page.goto(`${origin()}/orgs/${orgId}/runs/new?agentId=${agentIds.Reporter ?? ''}`);
    const priority = page.getByLabel('Priority');
    await priority.waitFor();
    // The free tier's most urgent priority is 5; its runs default to it.
    expect(await priority.locator('option').allTextContents()).toEqual([
      'Default (5)',
      '5 (most urgent)',
      '6',
      '7',
      '8',
      '9',
      '10 (least urgent)',
    ]);
    await page.getByLabel('Task').fill('Summarise the week.');
    await priority.selectOption('7');
    await screenshot(page, '10-new-run-priority');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const runId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const run = await ownerApi<{ priority: number }>('GET', `/orgs/${orgId}/runs/${runId}`);
    expect(run.priority).toBe(7);
    // No workers here: cancel it so its queued step leaves the shared Redis.
    await ownerApi('POST', `/orgs/${orgId}/runs/${runId}/cancel`, {}, 200);
    expect(errors).toEqual([]);
  });

  it('shows a viewer the schedules, agents and teams without the actions it may not take', async () => {
    if (!context || !browser) throw new Error('beforeAll did not finish');
    const { Reporter: reporterId = '', Writer: writerId = '' } = agentIds;
    await ownerApi('POST', `/orgs/${orgId}/schedules`, {
      name: 'Weekly digest',
      cron: '0 8 * * 1',
      timezone: 'America/New_York',
      target: { kind: 'agent', agentId: reporterId },
      input: 'Write the weekly digest.',
      paused: true,
    });
    await ownerApi('POST', `/orgs/${orgId}/teams`, {
      name: 'Relay',
      strategy: 'handoff',
      members: [{ agentId: reporterId }, { agentId: writerId }],
    });
    await ownerApi('POST', `/orgs/${orgId}/invitations`, { email: VIEWER.email, role: 'viewer' });

    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, errors } = await openPage(other);
    await signUpAndLogIn(page, origin(), VIEWER);
    await page.goto(`${origin()}/dev/mailbox`);
    await page
      .getByTestId('mail-message')
      .filter({ hasText: VIEWER.email })
      .locator('a[href*="/invitations/accept?token="]')
      .first()
      .click();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL(`**/orgs/${orgId}/settings`);

    await page.goto(`${origin()}/orgs/${orgId}/schedules`);
    const row = page.getByTestId('schedule').filter({ hasText: 'Weekly digest' });
    await row.getByText('Paused', { exact: true }).waitFor();
    expect(await row.getByTestId('schedule-next-run').textContent()).toBe('None while paused');
    await page.getByTestId('read-only-note').waitFor();
    expect(await page.getByRole('link', { name: 'New schedule' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Create a schedule' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
    await screenshot(page, '11-schedules-viewer');

    // Runs: readable, but no way in to start one.
    await page.goto(`${origin()}/orgs/${orgId}/runs`);
    await page.getByRole('table', { name: 'Runs' }).waitFor();
    expect(await page.getByRole('link', { name: 'New run' }).count()).toBe(0);
    await page.goto(`${origin()}/orgs/${orgId}/runs/new?agentId=${reporterId}`);
    const notice = page.getByTestId('read-only-note');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('You are a viewer here');
    expect(await page.getByRole('button', { name: 'Start run' }).count()).toBe(0);
    expect(await page.getByLabel('Task').count()).toBe(0);
    await screenshot(page, '15-new-run-viewer');
    await page.getByRole('link', { name: 'See the runs' }).click();
    await page.waitForURL(`**/orgs/${orgId}/runs`);

    await page.goto(`${origin()}/orgs/${orgId}/teams`);
    await page.getByTestId('team').filter({ hasText: 'Relay' }).waitFor();
    expect(await page.getByRole('button', { name: /^(Edit|Delete) / }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Run this team' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Create a team' }).count()).toBe(0);

    await page.goto(`${origin()}/orgs/${orgId}/agents/${reporterId}`);
    await page.getByRole('list', { name: 'Agent versions' }).waitFor();
    expect(await page.getByRole('button', { name: 'Delete agent' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save new version' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Run this agent' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await other.close();
  });
});
