/**
 * `npm run bench:agents`: the agent engine on the scripted model at zero latency against raw
 * BullMQ no-op jobs, measured in the same run on the same Redis. For 1, 10 and 100 runs kept in
 * flight, runs/s and steps/s of a sequential team of three agents (three `agent_turn` steps per
 * run, each one model call), and the wait from a step job's enqueue to a worker taking it (p50,
 * p99). The baseline keeps as many no-op jobs in flight, with a worker of the same concurrency
 * (production's `STEP_CONCURRENCY`, 8, or the number in flight when higher).
 * The issue's targets: steps/s at least 25 % of raw jobs/s, and enqueue-to-start p99 under 10 ms
 * at light load (one run in flight).
 *
 * Beside them, the durable floor: BullMQ jobs each doing the least a checkpointed step can do,
 * with the same queue, worker concurrency and database: claim the step (a conditional update)
 * and store its result with the next step and one event under the run's sequence (one
 * statement), each committed, with nothing else (no engine, no run lock, no model call, no
 * usage). It shows what "Postgres is the truth" costs by itself on this machine. Each round
 * also reports the CPU time per step of this process, of the pool's PostgreSQL backends, of
 * the Redis server (when local) and of the whole machine.
 *
 * Everything runs in this process, as in a worker process: the steps worker built as
 * `apps/workers` builds it (`createAgentEngine`, production settings except those below), a
 * fresh database (`createTestDatabase`: the local PostgreSQL, else the embedded one) and Redis
 * under a unique queue prefix, deleted afterwards. Runs are started with `createRun`, as the api
 * does; a run counts when its last step's job completes (the step that ends the run), and every
 * run is checked to have succeeded at the end. Writes bench/results/agents.json.
 *
 * `--levels 1,10` and `--seconds 3` shorten it; `node --cpu-prof --import tsx bench/agents.ts
 * --engine-only` profiles the engine alone (no raw BullMQ rounds, so no ratio).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { createAgent, createRun, createStepWorker, createTeam } from '@switchyard/agents';
import {
  createDatabase,
  createOrganization,
  listRuns,
  RUN_STATUSES,
  type DatabaseHandle,
} from '@switchyard/database';
import { createTestDatabase } from '@switchyard/database/testing';
import { createLogger, createRedis, DEFAULT_REDIS_URL, type Redis } from '@switchyard/shared';
import { createAgentEngine } from '../apps/workers/src/agents/create-agent-engine';
import { loadWorkersConfig } from '../apps/workers/src/env';
import { readArg } from './lib/measure';
import { round2, writeReport } from './lib/report';

const LEVELS = (readArg('levels') ?? '1,10,100').split(',').map(Number);
const ROUND_SECONDS = Number(readArg('seconds') ?? 4);
/** Before each round's measured window, at least: the pipeline fills (and the JIT warms up). */
const RAMP_SECONDS = 2;
const ROUNDS = 3;
const TEAM_SIZE = 3;
/** The issue's targets. */
const TARGET_RATIO = 0.25;
const TARGET_P99_MS = 10;
const RESULTS_FILE = fileURLToPath(new URL('./results/agents.json', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
/** `DATABASE_POOL_MAX` of the workers (`--pool 20`); the production default otherwise. */
const POOL_MAX = readArg('pool');
/** Skips the raw BullMQ rounds (for profiling the engine alone). */
const ENGINE_ONLY = process.argv.includes('--engine-only');

type Sample = {
  completed: number;
  steps: number;
  seconds: number;
  waitsMs: number[];
  /** PostgreSQL statements (BEGIN and COMMIT included) and transactions sent in the window. */
  statements: number;
  transactions: number;
  /** Writes to PostgreSQL sockets in the window: pipelined statements share one. */
  writes: number;
  /** CPU time of this process in the window (engine, workers and load generator alike). */
  cpuMicros: number;
  /** Busy CPU time of the whole machine in the window (PostgreSQL and Redis included). */
  machineCpuMs: number;
  /** CPU time of the pool's PostgreSQL backends and of the Redis server in the window. */
  postgresCpuMs: number;
  redisCpuMs: number;
};

type Writable = {
  _write: (...args: unknown[]) => unknown;
  _writev?: (...args: unknown[]) => unknown;
};

/**
 * Counts the statements and explicit transactions the pool's clients send, and the writes to
 * their sockets (statements pipelined together go out in one).
 */
function countStatements(pool: DatabaseHandle['pool']): {
  statements: number;
  transactions: number;
  writes: number;
  /** Process ids of the backends serving the pool's connections. */
  backends: Set<number>;
} {
  const counts = { statements: 0, transactions: 0, writes: 0, backends: new Set<number>() };
  pool.on('connect', (client) => {
    const { processID } = client as unknown as { processID?: number };
    if (processID) counts.backends.add(processID);
    const { stream } = (client as unknown as { connection: { stream: Writable } }).connection;
    for (const method of ['_write', '_writev'] as const) {
      const write = stream[method]?.bind(stream);
      if (!write) continue;
      stream[method] = (...args: unknown[]) => {
        counts.writes += 1;
        return write(...args);
      };
    }
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      counts.statements += 1;
      const [first] = args;
      const text = typeof first === 'string' ? first : (first as { text?: string }).text;
      if (text?.trim().toLowerCase().startsWith('begin')) counts.transactions += 1;
      return query(...args);
    };
  });
  return counts;
}

/**
 * Keeps `lanes` units of work in flight and counts those finished in a window of `seconds`. The
 * window opens once the pipeline is full: after `rampSeconds`, and not before as many units
 * finished as there are lanes (at 100 runs in flight, the first runs take seconds to finish).
 * `onWindow` is called when the window opens and when it closes.
 */
async function keepInFlight(options: {
  lanes: number;
  rampSeconds: number;
  seconds: number;
  unit: () => Promise<void>;
  onWindow: (open: boolean) => void;
}): Promise<number> {
  const rampEndsAt = performance.now() + options.rampSeconds * 1000;
  let finished = 0;
  let opensAt = Infinity;
  let closesAt = Infinity;
  let closing: NodeJS.Timeout | undefined;
  const open = () => {
    opensAt = performance.now();
    closesAt = opensAt + options.seconds * 1000;
    options.onWindow(true);
    closing = setTimeout(() => options.onWindow(false), options.seconds * 1000);
  };
  const opening = setTimeout(() => {
    if (finished >= options.lanes) open();
  }, options.rampSeconds * 1000);
  let completed = 0;
  try {
    await Promise.all(
      Array.from({ length: options.lanes }, async () => {
        while (performance.now() < closesAt) {
          await options.unit();
          finished += 1;
          const now = performance.now();
          if (now >= opensAt && now <= closesAt) completed += 1;
          else if (opensAt === Infinity && now >= rampEndsAt && finished >= options.lanes) open();
        }
      }),
    );
  } finally {
    clearTimeout(opening);
    clearTimeout(closing);
  }
  return completed;
}

/** Resolves (or rejects) a promise per job id from a worker's local events. */
function trackJobs(worker: Worker) {
  const waiting = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  let measuring = false;
  let steps = 0;
  const waitsMs: number[] = [];
  worker.on('active', (job: Job) => {
    if (measuring) waitsMs.push((job.processedOn ?? Date.now()) - job.timestamp);
  });
  worker.on('completed', (job: Job, result: unknown) => {
    const kind = (result as { kind?: string } | undefined)?.kind;
    if (measuring && (kind === undefined || kind === 'succeeded')) steps += 1;
    const entry = job.id ? waiting.get(job.id) : undefined;
    if (!entry || !job.id) return;
    waiting.delete(job.id);
    if (kind === undefined || kind === 'succeeded') entry.resolve();
    else entry.reject(new Error(`job ${job.id} ended ${kind}`));
  });
  worker.on('failed', (job: Job | undefined, error: Error) => {
    const entry = job?.id ? waiting.get(job.id) : undefined;
    if (job?.id) waiting.delete(job.id);
    entry?.reject(error);
  });
  return {
    /** Resolves when the job with this id completes. */
    completion(jobId: string): Promise<void> {
      return new Promise((resolve, reject) => waiting.set(jobId, { resolve, reject }));
    },
    start() {
      measuring = true;
      steps = 0;
      waitsMs.length = 0;
    },
    stop(): { steps: number; waitsMs: number[] } {
      measuring = false;
      return { steps, waitsMs: [...waitsMs] };
    },
  };
}

/**
 * Busy CPU time of the machine so far, in ms (all processes: this one, PostgreSQL, Redis), from
 * `/proc/stat`; NaN where there is none.
 */
function machineCpuMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    // cpu user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(1).map(Number);
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>(
      (sum, value) => sum + (value ?? 0),
      0,
    );
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time (user and system) of each of `pids` so far, in ms, from `/proc/<pid>/stat`; a process
 * on another machine (or gone) is left out.
 */
function processCpuMs(pids: Iterable<number>): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is the first, utime the 12th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      times.set(pid, (ticks * 1000) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // Not a local process.
    }
  }
  return times;
}

/** The CPU ms the processes of `after` used since `before` (a process new since then from 0). */
function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** The Redis server's process id, when it runs on this machine; null otherwise. */
async function redisServerPid(redis: Redis): Promise<number | null> {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(REDIS_URL).hostname)) return null;
  const info = await redis.info('server');
  const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** `getconf CLK_TCK` on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Deletes every key under `prefix:`. */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

type Level = {
  concurrency: number;
  raw: Sample[];
  floor: Sample[];
  engine: Sample[];
};

/** Ids of the durable floor's lane: its run and the step its next job executes. */
type FloorLane = { runId: string; stepId: string };

// The durable floor's two statements, each committed on its own. $1 step, $2 claim token.
const FLOOR_CLAIM = `
  update steps set status = 'running', attempt = attempt + 1, claim_token = $2::uuid,
    claimed_by = 'bench', claimed_at = now(), lease_expires_at = now() + interval '30 seconds',
    started_at = now(), updated_at = now()
  where id = $1::uuid and status = 'queued'
  returning id`;
// $1 step, $2 claim token, $3 run, $4 org, $5 the next step's id: the step succeeds, the next
// one is queued, and one event is appended under the run's sequence.
const FLOOR_CHECKPOINT = `
  with done as (
    update steps set status = 'succeeded', output = '{"text":"done"}', finished_at = now(),
      claim_token = null, claimed_by = null, lease_expires_at = null, updated_at = now()
    where id = $1::uuid and claim_token = $2::uuid
    returning id
  ), next as (
    insert into steps (id, run_id, org_id, kind, status)
    select $5::uuid, $3::uuid, $4::uuid, 'agent_turn', 'queued' from done
  ), seq as (
    update runs set next_event_seq = next_event_seq + 1 from done where runs.id = $3::uuid
    returning next_event_seq - 1 as seq
  )
  insert into run_events (run_id, org_id, seq, type, data)
  select $3::uuid, $4::uuid, seq.seq, 'step.succeeded', '{}' from seq`;

function summarize(samples: Sample[]) {
  const seconds = samples.reduce((total, sample) => total + sample.seconds, 0);
  const completed = samples.reduce((total, sample) => total + sample.completed, 0);
  const steps = samples.reduce((total, sample) => total + sample.steps, 0);
  const waits = samples.flatMap((sample) => sample.waitsMs);
  const total = (pick: (sample: Sample) => number) =>
    samples.reduce((sum, sample) => sum + pick(sample), 0);
  const perStep = (value: number) => Math.round((value / Math.max(steps, 1)) * 100) / 100;
  return {
    statementsPerStep: perStep(total((sample) => sample.statements)),
    transactionsPerStep: perStep(total((sample) => sample.transactions)),
    writesPerStep: perStep(total((sample) => sample.writes)),
    cpuMsPerStep: perStep(total((sample) => sample.cpuMicros) / 1000),
    machineCpuMsPerStep: perStep(total((sample) => sample.machineCpuMs)),
    postgresCpuMsPerStep: perStep(total((sample) => sample.postgresCpuMs)),
    redisCpuMsPerStep: perStep(total((sample) => sample.redisCpuMs)),
    perSecond: Math.round(completed / seconds),
    stepsPerSecond: Math.round(steps / seconds),
    waitP50Ms: percentile(waits, 50),
    waitP99Ms: percentile(waits, 99),
    completed,
    steps,
  };
}

async function main(): Promise<void> {
  const database = await createTestDatabase({ max: 2 });
  const prefix = `bench-agents-${randomBytes(6).toString('hex')}`;
  const config = loadWorkersConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ...(POOL_MAX ? { DATABASE_POOL_MAX: POOL_MAX } : {}),
    // The org limit stays on (its Redis round trips are part of every step) but high enough
    // that no step of the benchmark's single org is delayed by it.
    ORG_CONCURRENCY_LIMIT: String(Math.max(...LEVELS, 8)),
  });
  const logger = createLogger({ name: 'bench-agents', level: config.logLevel });
  // No `log`: dropping the database at the end ends connections the pool is still closing.
  const pool = createDatabase({ url: database.url, max: config.databasePoolMax });
  const statements = countStatements(pool.pool);
  const bullmq = createRedis(REDIS_URL, { forBullmq: true, name: 'bench-agents-bullmq' });
  const cleanupRedis = createRedis(REDIS_URL, { name: 'bench-agents-cleanup' });
  const agents = createAgentEngine({
    config,
    db: pool.db,
    connection: bullmq,
    workerId: `bench-${process.pid}`,
    logger,
  });
  const { engine } = agents;
  const rawQueue = new Queue('bench-noop', { connection: bullmq, prefix });
  const floorQueue = new Queue('bench-floor', { connection: bullmq, prefix });
  const redisPid = await redisServerPid(cleanupRedis);
  let runCount = 0;
  try {
    const org = await createOrganization(pool.db, {
      name: 'Bench org',
      slug: `bench-${randomBytes(4).toString('hex')}`,
    });
    // The durable floor's runs stay `running`: they live in an org of their own.
    const floorOrg = await createOrganization(pool.db, {
      name: 'Bench floor org',
      slug: `bench-floor-${randomBytes(4).toString('hex')}`,
    });
    const actor = { userId: null };
    const members = [];
    for (let index = 0; index < TEAM_SIZE; index += 1) {
      members.push(
        await createAgent(
          {
            orgId: org.id,
            actor,
            input: {
              name: `Member ${index + 1}`,
              instructions: 'You write one short paragraph.',
              provider: 'scripted',
              model: 'scripted',
              tools: [],
            },
          },
          engine,
        ),
      );
    }
    const team = await createTeam(
      {
        orgId: org.id,
        actor,
        input: {
          name: 'Bench team',
          strategy: 'sequential',
          planner: null,
          members: members.map((member) => ({ agentId: member.id })),
        },
      },
      engine,
    );
    const runDeps = { ...engine, settings: { runMaxDurationMs: config.runMaxDurationMs } };

    const levels: Level[] = [];
    for (const concurrency of LEVELS) {
      // Production's `STEP_CONCURRENCY`, raised to the runs in flight so that no step waits for
      // a free slot of the worker; the raw worker gets the same.
      const workerConcurrency = Math.max(config.stepConcurrency, concurrency);
      const stepsWorker = createStepWorker({
        connection: bullmq,
        prefix,
        concurrency: workerConcurrency,
        engine,
        log: logger,
        autorun: true,
      });
      const rawWorker = new Worker('bench-noop', async () => undefined, {
        connection: bullmq,
        prefix,
        concurrency: workerConcurrency,
      });
      const floorWorker = new Worker<FloorLane & { nextStepId: string }>(
        'bench-floor',
        async (job) => {
          const { runId, stepId, nextStepId } = job.data;
          const claimToken = randomUUID();
          const claimed = await pool.pool.query({
            name: 'bench_floor_claim',
            text: FLOOR_CLAIM,
            values: [stepId, claimToken],
          });
          if (claimed.rowCount !== 1) throw new Error(`floor step ${stepId} was not claimable`);
          const checkpointed = await pool.pool.query({
            name: 'bench_floor_checkpoint',
            text: FLOOR_CHECKPOINT,
            values: [stepId, claimToken, runId, floorOrg.id, nextStepId],
          });
          if (checkpointed.rowCount !== 1) throw new Error(`floor step ${stepId} lost its claim`);
        },
        { connection: bullmq, prefix, concurrency: workerConcurrency },
      );
      const workers = [stepsWorker, rawWorker, floorWorker];
      for (const worker of workers) {
        worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));
      }
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
      const stepsTracker = trackJobs(stepsWorker);
      const rawTracker = trackJobs(rawWorker);
      const floorTracker = trackJobs(floorWorker);

      const oneRun = async () => {
        const { steps } = await createRun(
          {
            orgId: org.id,
            actor,
            input: {
              target: { kind: 'team', teamId: team.id },
              input: 'Write a short note on queues.',
            },
          },
          runDeps,
        );
        runCount += 1;
        const last = steps.at(-1);
        if (!last) throw new Error('the run has no steps');
        await stepsTracker.completion(last.id);
      };
      const oneJob = async () => {
        const jobId = randomUUID();
        const done = rawTracker.completion(jobId);
        await rawQueue.add('noop', {}, { jobId, removeOnComplete: true });
        await done;
      };
      // A floor lane executes the steps of one run of its own, one job per step.
      const idleFloorLanes: FloorLane[] = [];
      const oneFloorStep = async () => {
        let lane = idleFloorLanes.pop();
        if (!lane) {
          lane = { runId: randomUUID(), stepId: randomUUID() };
          await pool.pool.query(
            `insert into runs (id, org_id, target_kind, input, status)
             values ($1, $2, 'agent', 'floor', 'running')`,
            [lane.runId, floorOrg.id],
          );
          await pool.pool.query(
            `insert into steps (id, run_id, org_id, kind, status)
             values ($1, $2, $3, 'agent_turn', 'queued')`,
            [lane.stepId, lane.runId, floorOrg.id],
          );
        }
        const nextStepId = randomUUID();
        const done = floorTracker.completion(lane.stepId);
        await floorQueue.add(
          'step',
          { ...lane, nextStepId },
          { jobId: lane.stepId, removeOnComplete: true },
        );
        await done;
        idleFloorLanes.push({ runId: lane.runId, stepId: nextStepId });
      };
      const measure = async (
        tracker: ReturnType<typeof trackJobs>,
        unit: () => Promise<void>,
      ): Promise<Sample> => {
        let counted = { steps: 0, waitsMs: [] as number[] };
        const snapshot = () => ({
          ...statements,
          cpu: process.cpuUsage(),
          machineCpu: machineCpuMs(),
          postgresCpu: processCpuMs(statements.backends),
          redisCpu: processCpuMs(redisPid === null ? [] : [redisPid]),
        });
        let opened = snapshot();
        let closed = {
          statements: 0,
          transactions: 0,
          writes: 0,
          cpuMicros: 0,
          machineCpuMs: 0,
          postgresCpuMs: 0,
          redisCpuMs: 0,
        };
        const completed = await keepInFlight({
          lanes: concurrency,
          rampSeconds: RAMP_SECONDS,
          seconds: ROUND_SECONDS,
          unit,
          onWindow: (open) => {
            if (open) {
              tracker.start();
              opened = snapshot();
              return;
            }
            counted = tracker.stop();
            const cpu = process.cpuUsage(opened.cpu);
            closed = {
              statements: statements.statements - opened.statements,
              transactions: statements.transactions - opened.transactions,
              writes: statements.writes - opened.writes,
              cpuMicros: cpu.user + cpu.system,
              machineCpuMs: machineCpuMs() - opened.machineCpu,
              postgresCpuMs: cpuSince(opened.postgresCpu, processCpuMs(statements.backends)),
              redisCpuMs:
                redisPid === null
                  ? Number.NaN
                  : cpuSince(opened.redisCpu, processCpuMs([redisPid])),
            };
          },
        });
        return { completed, ...counted, ...closed, seconds: ROUND_SECONDS };
      };

      const level: Level = { concurrency, raw: [], floor: [], engine: [] };
      for (let round = 0; round < ROUNDS; round += 1) {
        if (!ENGINE_ONLY) {
          level.raw.push(await measure(rawTracker, oneJob));
          level.floor.push(await measure(floorTracker, oneFloorStep));
        }
        level.engine.push(await measure(stepsTracker, oneRun));
      }
      levels.push(level);
      await Promise.all(workers.map((worker) => worker.close()));
    }

    // Every run of the benchmark must have succeeded: none left in any other status.
    const notSucceeded: Array<[string, number]> = [];
    for (const status of RUN_STATUSES.filter((each) => each !== 'succeeded')) {
      const found = await listRuns(pool.db, { orgId: org.id, status, limit: 100 });
      if (found.length > 0) notSucceeded.push([status, found.length]);
    }
    const rows = levels.map((level) => {
      const raw = summarize(level.raw);
      const floor = summarize(level.floor);
      const runs = summarize(level.engine);
      return {
        concurrency: level.concurrency,
        rawJobsPerSecond: raw.perSecond,
        floorStepsPerSecond: floor.stepsPerSecond,
        floorRatio: round2(floor.stepsPerSecond / raw.perSecond),
        floorMachineCpuMsPerStep: floor.machineCpuMsPerStep,
        rawWaitP50Ms: raw.waitP50Ms,
        rawWaitP99Ms: raw.waitP99Ms,
        // Every run is exactly TEAM_SIZE step jobs, so in steady state runs/s is steps/s over
        // that. Runs finished inside the window are no measure at 100 in flight: the lanes start
        // together and their runs finish in waves several seconds apart.
        runsPerSecond: round2(runs.stepsPerSecond / TEAM_SIZE),
        runsFinishedInWindow: runs.completed,
        stepsPerSecond: runs.stepsPerSecond,
        ratio: round2(runs.stepsPerSecond / raw.perSecond),
        waitP50Ms: runs.waitP50Ms,
        waitP99Ms: runs.waitP99Ms,
        steps: runs.steps,
        statementsPerStep: runs.statementsPerStep,
        transactionsPerStep: runs.transactionsPerStep,
        writesPerStep: runs.writesPerStep,
        cpuMsPerStep: runs.cpuMsPerStep,
        machineCpuMsPerStep: runs.machineCpuMsPerStep,
        postgresCpuMsPerStep: runs.postgresCpuMsPerStep,
        redisCpuMsPerStep: runs.redisCpuMsPerStep,
      };
    });
    printTable(rows);
    if (ENGINE_ONLY) {
      console.log(`\n--engine-only: no raw rounds, no ratio; ${RESULTS_FILE} left as it was`);
      return;
    }
    const light = rows.find((row) => row.concurrency === 1);
    const best = Math.max(...rows.map((row) => row.ratio));
    console.log(
      `\nsteps/s ÷ raw jobs/s: ${rows.map((row) => `${row.ratio.toFixed(2)} at ${row.concurrency}`).join(', ')} (target ≥ ${TARGET_RATIO})`,
    );
    if (light) {
      console.log(
        `enqueue→start p99 at 1 run in flight: ${light.waitP99Ms} ms (target < ${TARGET_P99_MS} ms)`,
      );
    }
    console.log(
      `runs started: ${runCount}, ${notSucceeded.length === 0 ? 'all succeeded' : `not succeeded: ${JSON.stringify(Object.fromEntries(notSucceeded))}`}`,
    );
    writeReport(
      RESULTS_FILE,
      {
        connections: Math.max(...LEVELS),
        warmupSeconds: RAMP_SECONDS,
        rounds: ROUNDS,
        roundSeconds: ROUND_SECONDS,
      },
      {
        workload: `sequential team of ${TEAM_SIZE} scripted agents, zero latency`,
        databasePoolMax: config.databasePoolMax,
        results: rows,
        targetRatio: TARGET_RATIO,
        targetP99Ms: TARGET_P99_MS,
        meetsRatioTarget: best >= TARGET_RATIO,
        meetsLatencyTarget: light ? light.waitP99Ms < TARGET_P99_MS : null,
        runsNotSucceeded: Object.fromEntries(notSucceeded),
      },
    );
  } finally {
    await Promise.all([rawQueue.close(), floorQueue.close()]);
    await agents.close();
    await deleteKeys(cleanupRedis, prefix);
    await Promise.allSettled([bullmq.quit(), cleanupRedis.quit()]);
    await pool.close();
    await database.drop();
  }
}

function printTable(rows: Array<Record<string, number>>): void {
  const columns: Array<[string, string]> = [
    ['runs in flight', 'concurrency'],
    ['raw jobs/s', 'rawJobsPerSecond'],
    ['floor steps/s', 'floorStepsPerSecond'],
    ['floor/raw', 'floorRatio'],
    ['floor machine CPU ms/step', 'floorMachineCpuMsPerStep'],
    ['runs/s', 'runsPerSecond'],
    ['steps/s', 'stepsPerSecond'],
    ['steps/raw', 'ratio'],
    ['wait p50 ms', 'waitP50Ms'],
    ['wait p99 ms', 'waitP99Ms'],
    ['raw wait p50/p99 ms', 'raw'],
    ['PG stmts/step', 'statementsPerStep'],
    ['PG tx/step', 'transactionsPerStep'],
    ['PG writes/step', 'writesPerStep'],
    ['CPU ms/step', 'cpuMsPerStep'],
    ['machine CPU ms/step', 'machineCpuMsPerStep'],
    ['PG CPU ms/step', 'postgresCpuMsPerStep'],
    ['Redis CPU ms/step', 'redisCpuMsPerStep'],
  ];
  const body = rows.map((row) =>
    columns.map(([, key]) =>
      key === 'raw' ? `${row.rawWaitP50Ms}/${row.rawWaitP99Ms}` : String(row[key]),
    ),
  );
  const widths = columns.map(([name], i) =>
    Math.max(name.length, ...body.map((cells) => cells[i]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `\nSequential team of ${TEAM_SIZE} scripted agents (zero latency) vs raw BullMQ no-op jobs, ` +
      `${ROUNDS} alternating rounds of ${ROUND_SECONDS}s, each once the pipeline is full ` +
      `(≥ ${RAMP_SECONDS}s); runs/s = steps/s ÷ ${TEAM_SIZE}; wait = step job enqueue → worker start`,
  );
  console.log(format(columns.map(([name]) => name)));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const cells of body) console.log(format(cells));
}

await main();
