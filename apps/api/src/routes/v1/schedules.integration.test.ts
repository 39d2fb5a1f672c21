import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createAgent, createTeam, SCHEDULES_QUEUE, scheduleSchedulerId } from '@switchyard/agents';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, createRedis, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../../app';
import { createTestConfig, LOCAL_REDIS_URL } from '../../testing/test-app';
import { createOrgRouteFixtures, type TestTeam } from './orgs/org-test-fixtures';

type ScheduleBody = {
  id: string;
  paused: boolean;
  name: string;
  cron: string;
  timezone: string;
  target: { kind: string; id: string; input: string; priority?: number; budget?: object };
  nextRunAt: string | null;
};

describe('/v1/orgs/:orgId/schedules', () => {
  const prefix = `sy-test-api-schedules-${randomBytes(6).toString('hex')}`;
  let database: TestDatabase;
  let redis: Redis;
  let bullmq: Redis;
  let queue: Queue;
  let app: App;
  let fixtures: ReturnType<typeof createOrgRouteFixtures>;
  let team: TestTeam;
  let other: TestTeam;
  let agentId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = createTestRedis();
    app = await buildApp(
      createTestConfig({
        DATABASE_URL: database.url,
        REDIS_URL: LOCAL_REDIS_URL,
        QUEUE_PREFIX: prefix,
        PUBLIC_URL: 'http://localhost:3000',
      }),
      {
        database: { db: database.db, pool: database.pool },
        redis,
        logger: createLogger({ name: 'api', level: 'silent' }),
      },
    );
    await app.ready();
    bullmq = createRedis(LOCAL_REDIS_URL, { forBullmq: true, name: 'api-schedules-test' });
    queue = new Queue(SCHEDULES_QUEUE, { connection: bullmq, prefix });
    fixtures = createOrgRouteFixtures({ app, database, close: async () => undefined });
    team = await fixtures.team();
    other = await fixtures.team();
    const agent = await createAgent(
      {
        orgId: team.org.id,
        actor: { userId: team.owner.user.id },
        input: {
          name: 'Reporter',
          instructions: 'You report.',
          provider: 'scripted',
          model: 'scripted',
          tools: [],
        },
      },
      { db: database.db },
    );
    agentId = agent.id;
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await bullmq?.quit();
    await app?.close();
    if (redis) await closeTestRedis(redis);
    await database?.drop();
  });

  const schedulerIds = async () =>
    (await queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);

  const create = (headers: { authorization: string }, orgId = team.org.id) =>
    app.inject({
      method: 'POST',
      url: `/v1/orgs/${orgId}/schedules`,
      headers,
      payload: {
        name: 'Morning report',
        cron: '0 9 * * 1-5',
        timezone: 'Europe/Paris',
        target: { kind: 'agent', agentId },
        input: 'Write the morning report',
      },
    });

  it('creates, lists, gets, pauses, resumes and deletes a schedule', async () => {
    const created = await create(team.member.headers);
    expect(created.statusCode).toBe(201);
    const schedule = created.json<ScheduleBody>();
    expect(schedule).toMatchObject({
      name: 'Morning report',
      paused: false,
      target: { id: agentId },
    });
    expect(await schedulerIds()).toContain(scheduleSchedulerId(schedule.id));
    const base = `/v1/orgs/${team.org.id}/schedules`;

    const list = await app.inject({ method: 'GET', url: base, headers: team.viewer.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ schedules: ScheduleBody[] }>().schedules.map((s) => s.id)).toContain(
      schedule.id,
    );
    const got = await app.inject({
      method: 'GET',
      url: `${base}/${schedule.id}`,
      headers: team.viewer.headers,
    });
    expect(got.json<ScheduleBody>().id).toBe(schedule.id);

    const paused = await app.inject({
      method: 'POST',
      url: `${base}/${schedule.id}/pause`,
      headers: team.member.headers,
    });
    expect(paused.json<ScheduleBody>().paused).toBe(true);
    expect(await schedulerIds()).not.toContain(scheduleSchedulerId(schedule.id));

    const resumed = await app.inject({
      method: 'POST',
      url: `${base}/${schedule.id}/resume`,
      headers: team.member.headers,
    });
    expect(resumed.json<ScheduleBody>().paused).toBe(false);
    expect(await schedulerIds()).toContain(scheduleSchedulerId(schedule.id));

    const deleted = await app.inject({
      method: 'DELETE',
      url: `${base}/${schedule.id}`,
      headers: team.member.headers,
    });
    expect(deleted.statusCode).toBe(200);
    expect(await schedulerIds()).not.toContain(scheduleSchedulerId(schedule.id));
    const gone = await app.inject({
      method: 'GET',
      url: `${base}/${schedule.id}`,
      headers: team.viewer.headers,
    });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses to delete an agent or a team while a schedule starts it, naming the schedules', async () => {
    const actor = { userId: team.owner.user.id };
    const doomed = await createAgent(
      {
        orgId: team.org.id,
        actor,
        input: {
          name: 'Doomed',
          instructions: 'You write.',
          provider: 'scripted',
          model: 'scripted',
          tools: [],
        },
      },
      { db: database.db },
    );
    const crew = await createTeam(
      {
        orgId: team.org.id,
        actor,
        input: {
          name: 'Crew',
          strategy: 'sequential',
          planner: null,
          members: [{ agentId: doomed.id }],
        },
      },
      { db: database.db },
    );
    const orgBase = `/v1/orgs/${team.org.id}`;
    const schedule = async (name: string, target: Record<string, string>) => {
      const response = await app.inject({
        method: 'POST',
        url: `${orgBase}/schedules`,
        headers: team.member.headers,
        payload: { name, cron: '0 9 * * *', target, input: 'Go' },
      });
      expect(response.statusCode).toBe(201);
      return response.json<ScheduleBody>();
    };
    const remove = (url: string) =>
      app.inject({ method: 'DELETE', url, headers: team.member.headers });

    for (const [url, first] of [
      [
        `${orgBase}/agents/${doomed.id}`,
        await schedule('Agent nightly', { kind: 'agent', agentId: doomed.id }),
      ],
      [
        `${orgBase}/teams/${crew.id}`,
        await schedule('Team nightly', { kind: 'team', teamId: crew.id }),
      ],
    ] as const) {
      const refused = await remove(url);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const problem = refused.json<{ detail: string; schedules: { id: string; name: string }[] }>();
      expect(problem.detail).toContain(`“${first.name}”`);
      expect(problem.schedules).toEqual([{ id: first.id, name: first.name }]);
      // Nothing was deleted: the target still answers, and the schedule still fires.
      const still = await app.inject({ method: 'GET', url, headers: team.viewer.headers });
      expect(still.statusCode).toBe(200);
      expect(await schedulerIds()).toContain(scheduleSchedulerId(first.id));

      expect((await remove(`${orgBase}/schedules/${first.id}`)).statusCode).toBe(200);
      expect((await remove(url)).statusCode).toBe(204);
    }
  });

  it('changes a schedule: only the fields given, its job scheduler following the new pattern', async () => {
    const schedule = (await create(team.member.headers)).json<ScheduleBody>();
    expect(schedule.nextRunAt).not.toBeNull();
    const url = `/v1/orgs/${team.org.id}/schedules/${schedule.id}`;
    const patch = (payload: Record<string, unknown>, headers = team.member.headers) =>
      app.inject({ method: 'PATCH', url, headers, payload });

    const changed = await patch({ cron: '30 7 * * *', timezone: 'Asia/Tokyo', priority: 3 });
    expect(changed.statusCode).toBe(200);
    const body = changed.json<ScheduleBody>();
    expect(body).toMatchObject({
      name: 'Morning report',
      cron: '30 7 * * *',
      timezone: 'Asia/Tokyo',
      target: { kind: 'agent', id: agentId, input: 'Write the morning report', priority: 3 },
    });
    // 07:30 in Tokyo is 22:30 UTC.
    expect(new Date(body.nextRunAt ?? '').getUTCHours()).toBe(22);
    const scheduler = await queue.getJobScheduler(scheduleSchedulerId(schedule.id));
    expect(scheduler).toMatchObject({ pattern: '30 7 * * *', tz: 'Asia/Tokyo' });

    const cleared = await patch({ priority: null, input: 'Write the evening report' });
    expect(cleared.json<ScheduleBody>().target).toEqual({
      kind: 'agent',
      id: agentId,
      input: 'Write the evening report',
    });

    // Refusals name the field and change nothing.
    for (const [payload, path] of [
      [{ cron: '* * * * * *' }, 'cron'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ paused: true }, 'Unrecognized key: \\"paused\\"'],
      [{}, 'give at least one field to change'],
      [{ target: { kind: 'agent', agentId: 'nope' } }, 'target.agentId'],
    ] as const) {
      const refused = await patch(payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(refused.body).toContain(path);
    }
    const missing = await patch({ target: { kind: 'team', teamId: schedule.id } });
    expect(missing.statusCode).toBe(404);
    expect((await patch({ name: 'x' }, team.viewer.headers)).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/v1/orgs/${other.org.id}/schedules/${schedule.id}`,
          headers: other.owner.headers,
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(404);
    const got = await app.inject({ method: 'GET', url, headers: team.viewer.headers });
    expect(got.json<ScheduleBody>()).toMatchObject({ name: 'Morning report', cron: '30 7 * * *' });

    // Paused: no next run, and a change does not bring its job scheduler back.
    await app.inject({ method: 'POST', url: `${url}/pause`, headers: team.member.headers });
    const whilePaused = await patch({ cron: '0 6 * * *' });
    expect(whilePaused.json<ScheduleBody>()).toMatchObject({ cron: '0 6 * * *', nextRunAt: null });
    expect(await schedulerIds()).not.toContain(scheduleSchedulerId(schedule.id));
    await app.inject({ method: 'DELETE', url, headers: team.member.headers });
  });

  it('lets a viewer read but not write', async () => {
    expect((await create(team.viewer.headers)).statusCode).toBe(403);
  });

  it('refuses an invalid cron pattern with a 400 naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/orgs/${team.org.id}/schedules`,
      headers: team.member.headers,
      payload: { name: 'x', cron: 'often', target: { kind: 'agent', agentId }, input: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('cron');
  });

  it("answers 404 for another org's schedule ids through the caller's own org", async () => {
    const schedule = (await create(team.member.headers)).json<ScheduleBody>();
    const base = `/v1/orgs/${other.org.id}/schedules/${schedule.id}`;
    const headers = other.owner.headers;
    for (const [method, url] of [
      ['GET', base],
      ['POST', `${base}/pause`],
      ['POST', `${base}/resume`],
      ['DELETE', base],
    ] as const) {
      expect((await app.inject({ method, url, headers })).statusCode).toBe(404);
    }
    // And the other org's member cannot reach the first org's path at all.
    const foreign = await app.inject({
      method: 'GET',
      url: `/v1/orgs/${team.org.id}/schedules/${schedule.id}`,
      headers,
    });
    expect([403, 404]).toContain(foreign.statusCode);
    expect(await schedulerIds()).toContain(scheduleSchedulerId(schedule.id));
  });
});
