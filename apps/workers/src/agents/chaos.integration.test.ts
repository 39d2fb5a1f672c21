import { watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgent,
  createRun,
  createRunQueue,
  createTeam,
  type RunQueue,
} from '@switchyard/agents';
import { createOrganization, createUser } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, createRedis, type Redis } from '@switchyard/shared';
import { spawnWorkersProcess, type WorkersProcess } from '../testing/spawn-workers-process';
import {
  createTestQueuePrefix,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from '../testing/test-workers-config';

const RUNS = 50;
/** Writer turns that must have succeeded before the kill, so that it lands mid-way. */
const TURNS_BEFORE_KILL = 10;
/** Short, so a dead worker's steps come back within seconds (step lease and BullMQ lock). */
const STEP_LEASE_MS = 2_000;
const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled'];
const UNFINISHED_STATUSES = ['pending', 'queued', 'running', 'waiting_for_approval'];

type WorkerProcess = { process: WorkersProcess; id: string; pid: number };

/** Starts `tsx src/main.ts`; resolves with the worker id (`host:pid:random`) it logged. */
async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawnWorkersProcess(env);
  await child.waitForOutput(/"msg":"workers started"/);
  const line = child
    .output()
    .stdout.split('\n')
    .find((entry) => entry.includes('"msg":"workers started"'));
  const { workerId } = JSON.parse(line ?? '{}') as { workerId?: string };
  const pid = Number(workerId?.split(':')[1]);
  if (!workerId || !Number.isInteger(pid)) throw new Error(`no worker id in: ${line}`);
  // `tsx` runs main.ts in a process of its own: that one (`pid`) is the worker to kill.
  return { process: child, id: workerId, pid };
}

async function stopWorkerProcess(worker: WorkerProcess): Promise<void> {
  const { child } = worker.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = await Promise.race([worker.process.exited, sleep(15_000, null)]);
  if (!exited) child.kill('SIGKILL');
}

async function waitFor<T>(
  check: () => Promise<T | null>,
  options: { timeoutMs: number; intervalMs: number; what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
    await sleep(options.intervalMs);
  }
}

describe('chaos: two worker processes, 50 multi-step runs, one worker SIGKILLed', () => {
  const queuePrefix = createTestQueuePrefix();
  const workers: WorkerProcess[] = [];
  const log = createLogger({ name: 'workers-chaos-test', level: 'info' });
  let database: TestDatabase;
  let dataDir: string;
  let redis: Redis;
  let bullmq: Redis;
  let queue: RunQueue;
  let watcher: FSWatcher | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-chaos-'));
    redis = createRedis(TEST_REDIS_URL, { name: 'workers-chaos-test' });
    bullmq = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'workers-chaos-test-bullmq' });
    queue = createRunQueue({ connection: bullmq, prefix: queuePrefix });
  });

  afterAll(async () => {
    watcher?.close();
    await Promise.all(workers.map((worker) => stopWorkerProcess(worker)));
    await queue?.close();
    await Promise.allSettled([redis?.quit(), bullmq?.quit()]);
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('ends every run and repeats no side effect', { timeout: 150_000 }, async () => {
    const startedAt = Date.now();
    const { db, pool } = database;
    const org = await createOrganization(db, { name: 'Chaos org', slug: 'chaos-org' });
    const user = await createUser(db, { email: 'chaos@example.com', name: 'Chaos' });
    const actor = { userId: user.id };
    const createScriptedAgent = (name: string, tools: string[]) =>
      createAgent(
        {
          orgId: org.id,
          actor,
          input: {
            name,
            instructions: `You are ${name}.`,
            provider: 'scripted',
            model: 'scripted',
            tools,
          },
        },
        { db },
      );
    // Each run: the writer's turn writes the run's report (the side effect) first, then
    // calculates and reads the clock; the reviewer's turn calculates. 2 turns, 6 model calls,
    // 4 tool calls.
    const writer = await createScriptedAgent('Writer', [
      'write_file',
      'calculator',
      'current_time',
    ]);
    const reviewer = await createScriptedAgent('Reviewer', ['calculator']);
    const team = await createTeam(
      {
        orgId: org.id,
        actor,
        input: {
          name: 'Chaos desk',
          strategy: 'sequential',
          planner: null,
          members: [{ agentId: writer.id }, { agentId: reviewer.id }],
        },
      },
      { db },
    );
    const tasks = Array.from(
      { length: RUNS },
      (_, index) =>
        `Save the notes to the file reports/run-${index + 1}.md, then compute ${index + 1} * 3 and tell me the current time.`,
    );

    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '6',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      WORKERS_HEALTH_PORT: '0',
      DATA_DIR: dataDir,
      STEP_CONCURRENCY: '6',
      ORG_CONCURRENCY_LIMIT: '0',
      STEP_LEASE_MS: String(STEP_LEASE_MS),
      REAPER_INTERVAL_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    const [victim, survivor] = await Promise.all([
      startWorkerProcess(env),
      startWorkerProcess(env),
    ]);
    if (!victim || !survivor) throw new Error('the workers did not start');
    workers.push(victim, survivor);

    // The side effect itself, whatever the database says: `write_file` renames its temp file
    // into this folder, one inotify event per write. The victim is killed the instant one of
    // its turns has written its report: after the effect, before the engine could record it.
    const reportsDir = path.join(dataDir, 'files', 'orgs', org.id, 'files', 'reports');
    await mkdir(reportsDir, { recursive: true });
    const writes = new Map<string, number>();
    /** Report file -> the worker holding its writer turn, refreshed by polling. */
    const holders = new Map<string, string>();
    let armed = false;
    let kill: { file: string; at: number } | null = null;
    watcher = watch(reportsDir, (event, file) => {
      if (event !== 'rename' || !file) return;
      writes.set(file, (writes.get(file) ?? 0) + 1);
      if (armed && !kill && holders.get(file) === victim.id) {
        process.kill(victim.pid, 'SIGKILL');
        kill = { file, at: Date.now() };
      }
    });

    // As the api would, a few requests at a time.
    const runDeps = { db, redis, queue, log: log.child({}, { level: 'warn' }) };
    for (let index = 0; index < RUNS; index += 10) {
      await Promise.all(
        tasks.slice(index, index + 10).map((task) =>
          createRun(
            {
              orgId: org.id,
              actor,
              input: { target: { kind: 'team', teamId: team.id }, input: task },
            },
            { ...runDeps, settings: { runMaxDurationMs: 120_000 } },
          ),
        ),
      );
    }

    const killed = await waitFor(
      async () => {
        if (kill) return kill;
        const { rows } = await pool.query<{ input: string; claimed_by: string; done: number }>(
          `select runs.input, turn.claimed_by,
             (select count(*)::int from steps where org_id = $1 and kind = 'agent_turn'
               and status = 'succeeded') as done
           from steps turn join runs on runs.id = turn.run_id
           where turn.org_id = $1 and turn.kind = 'agent_turn' and turn.position = 0
             and turn.status = 'running'`,
          [org.id],
        );
        holders.clear();
        for (const row of rows) {
          const file = /reports\/(run-\d+\.md)/.exec(row.input)?.[1];
          if (file) holders.set(file, row.claimed_by);
          if (row.done >= TURNS_BEFORE_KILL) armed = true;
        }
        return null;
      },
      { timeoutMs: 60_000, intervalMs: 5, what: 'a write by the victim to kill it after' },
    );
    // What the dead worker left: the turns it held (read before a lease could pass, so before
    // the survivor can take any over).
    await sleep(100);
    const { rows: stranded } = await pool.query<{ id: string; input: string }>(
      `select turn.id, runs.input from steps turn join runs on runs.id = turn.run_id
       where turn.org_id = $1 and turn.status = 'running' and turn.claimed_by = $2`,
      [org.id, victim.id],
    );
    expect(stranded.length).toBeGreaterThan(0);
    expect(stranded.some((turn) => turn.input.includes(`reports/${killed.file}`))).toBe(true);
    const { rows: progress } = await pool.query<{ done: number }>(
      `select count(*)::int as done from runs where org_id = $1 and status = 'succeeded'`,
      [org.id],
    );
    expect(progress[0]?.done).toBeLessThan(RUNS);

    const statuses = await waitFor(
      async () => {
        const { rows } = await pool.query<{ status: string; count: number }>(
          `select status, count(*)::int as count from runs where org_id = $1 group by status`,
          [org.id],
        );
        return rows.every((row) => TERMINAL_STATUSES.includes(row.status)) ? rows : null;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: 'every run to end' },
    );
    const recoveredInMs = Date.now() - killed.at;
    expect(statuses).toEqual([{ status: 'succeeded', count: RUNS }]);

    // Nothing left behind: no step waiting, queued or held by a worker; the victim's turns were
    // finished by the survivor, as new attempts.
    const { rows: unfinished } = await pool.query<{ count: number }>(
      `select count(*)::int as count from steps where org_id = $1 and status = any($2)`,
      [org.id, UNFINISHED_STATUSES],
    );
    expect(unfinished[0]?.count).toBe(0);
    const { rows: resumed } = await pool.query<{ status: string; attempt: number }>(
      `select status, attempt from steps where id = any($1::uuid[])`,
      [stranded.map((turn) => turn.id)],
    );
    expect(resumed).toHaveLength(stranded.length);
    for (const turn of resumed) {
      expect(turn.status).toBe('succeeded');
      expect(turn.attempt).toBeGreaterThanOrEqual(2);
    }

    // One `write_file` call per run, reported once. A call whose worker died after writing its
    // intent and before recording the outcome is never repeated blindly: `write_file` reconciles
    // it (the file holds its content, or it is written now, once), so none ends
    // `outcome_unknown` and every call has one recorded execution.
    const { rows: calls } = await pool.query<{ input: string; code: string | null }>(
      `select runs.input, call.error->>'code' as code
       from steps call join runs on runs.id = call.run_id
       where call.org_id = $1 and call.kind = 'tool_call' and call.input->>'tool' = 'write_file'`,
      [org.id],
    );
    expect(calls).toHaveLength(RUNS);
    expect(new Set(calls.map((call) => call.input)).size).toBe(RUNS);
    expect(calls.filter((call) => call.code !== null)).toEqual([]);
    const { rows: reported } = await pool.query<{ runs: number; events: number }>(
      `select count(distinct run_id)::int as runs, count(*)::int as events from run_events
       where org_id = $1 and type = 'tool.completed' and data->>'tool' = 'write_file'`,
      [org.id],
    );
    expect(reported[0]).toEqual({ runs: RUNS, events: RUNS });
    const { rows: executions } = await pool.query<{ runs: number; rows: number }>(
      `select count(distinct run_id)::int as runs, count(*)::int as rows from tool_executions
       where org_id = $1 and tool = 'write_file'`,
      [org.id],
    );
    expect(executions[0]).toEqual({ runs: RUNS, rows: RUNS });

    // Zero repeated side effects, counted on disk: every report written exactly once, with its
    // content.
    await sleep(200);
    expect([...writes].filter(([, count]) => count !== 1)).toEqual([]);
    for (const [index, task] of tasks.entries()) {
      const file = `run-${index + 1}.md`;
      expect({ file, writes: writes.get(file) }).toEqual({ file, writes: 1 });
      const content = await readFile(path.join(reportsDir, file), 'utf8');
      expect(content).toBe(`# ${task}\n\nWritten by the scripted model (offline).\n`);
    }
    expect(writes.size).toBe(RUNS);

    log.info(
      {
        killedAfterWriting: killed.file,
        stranded: stranded.length,
        writes: writes.size,
        recoveredInMs,
        totalMs: Date.now() - startedAt,
      },
      'chaos test finished',
    );
  });
});
