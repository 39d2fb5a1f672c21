import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  getStep,
  listRunEvents,
  listRunSteps,
  listRunToolExecutions,
  listRunUsageRecords,
  type DatabaseHandle,
} from '@switchyard/database';
import { createLocalDiskStorage, type StorageDriver } from '@switchyard/storage';
import { createRun } from '../runs/create-run';
import { executeStep } from './execute-step';
import { reapStalledSteps } from './reap-stalled-steps';
import { createEngineHarness, type EngineHarness } from './testing/engine-harness';
import { createScriptedAgent, RUN_SETTINGS } from './testing/fixtures';

/** The application name of the worker that "crashes": Postgres refuses its step writes. */
const CRASHING_WORKER = 'crashing-worker';

describe('crash recovery', () => {
  let harness: EngineHarness;
  let crashing: DatabaseHandle;
  let root: string;
  let writes = 0;
  let crashAfterWrite = true;
  /** "Crash" the worker after it wrote the call's intent, before the file is written. */
  let crashBeforeWrite = false;
  /** Also refuse the crashing worker's record of the effect (`tool_executions`). */
  let crashBeforeRecord = false;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'switchyard-crash-'));
    const disk = createLocalDiskStorage({ root });
    // Counts real writes; the first one "crashes" its worker right after the file is written.
    const storage: StorageDriver = {
      ...disk,
      async put(key, body, options) {
        if (crashBeforeWrite) {
          await installCrash();
          throw new Error('simulated worker crash before the write');
        }
        const stored = await disk.put(key, body, options);
        writes += 1;
        if (crashAfterWrite) await installCrash();
        return stored;
      },
    };
    harness = await createEngineHarness({ storage });
    crashing = createDatabase({
      url: harness.database.url,
      max: 2,
      applicationName: CRASHING_WORKER,
    });
  });
  afterAll(async () => {
    await crashing?.close();
    await harness?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  // From this moment the crashing worker can no longer change any step: as if it died right
  // after the tool's effect, before checkpointing it.
  async function installCrash() {
    await harness.database.pool.query(`
      create or replace function sy_test_crash() returns trigger language plpgsql as $$
      begin
        if current_setting('application_name') = '${CRASHING_WORKER}' then
          raise exception 'simulated worker crash';
        end if;
        return new;
      end $$;
      create or replace trigger sy_test_crash before update on steps
        for each row execute function sy_test_crash();`);
    if (crashBeforeRecord) {
      await harness.database.pool.query(`
        create or replace trigger sy_test_crash_record before insert on tool_executions
          for each row execute function sy_test_crash();`);
    }
  }

  it('resumes a step from its checkpoint on another worker without repeating a side effect', async () => {
    const agent = await createScriptedAgent(harness, 'Archivist', { tools: ['write_file'] });
    const { run, steps } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: {
          target: { kind: 'agent', agentId: agent.id },
          input: 'Save the minutes to a file named minutes.md',
        },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const [turn] = steps;
    if (!turn) throw new Error('no first step');
    const job = { stepId: turn.id, runId: run.id, orgId: harness.orgId };

    // Worker A: calls the model (checkpointed), writes the file, then "dies".
    await expect(
      executeStep(job, {
        ...harness.engine,
        db: crashing.db,
        settings: { ...harness.engine.settings, workerId: 'worker-a' },
      }),
    ).rejects.toThrow();
    expect(writes).toBe(1);
    const stalled = await getStep(harness.database.db, { orgId: harness.orgId, stepId: turn.id });
    expect(stalled).toMatchObject({ status: 'running', claimedBy: 'worker-a', attempt: 1 });
    await harness.database.pool.query('drop trigger sy_test_crash on steps');
    crashAfterWrite = false;

    // Its BullMQ job is gone with it; once the lease has expired the reaper queues the step again.
    await harness.queue.queue.remove(turn.id);
    const reaped = await reapStalledSteps(harness.engine, {
      now: new Date(Date.now() + harness.engine.settings.leaseMs + 1_000),
    });
    expect(reaped.requeued).toBe(1);

    const worker = await harness.startWorker();
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    await worker.close();
    expect(finished.status).toBe('succeeded');

    // The file was written once; the retry replayed the recorded result.
    expect(writes).toBe(1);
    const executions = await listRunToolExecutions(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    expect(executions.map((execution) => execution.tool)).toEqual(['write_file']);
    const all = await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id });
    const toolCalls = all.filter((step) => step.kind === 'tool_call');
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0]?.output).toMatchObject({ replayed: true });
    // Resumed from the checkpoint: the model call made before the crash was not made again.
    const usage = await listRunUsageRecords(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    expect(usage).toHaveLength(2);
    expect(all.find((step) => step.id === turn.id)).toMatchObject({
      status: 'succeeded',
      attempt: 2,
    });
    const events = await listRunEvents(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    expect(
      events.some((event) => event.type === 'step.retrying' && event.data.reason === 'worker_lost'),
    ).toBe(true);
  });

  it('re-enqueues a step left queued without a job', async () => {
    const agent = await createScriptedAgent(harness, `Orphan ${randomBytes(2).toString('hex')}`);
    const { run, steps } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'agent', agentId: agent.id }, input: 'Say something' },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const [turn] = steps;
    if (!turn) throw new Error('no first step');
    // As if the process died between committing the run and enqueueing its step.
    await harness.queue.queue.remove(turn.id);
    expect(await harness.queue.getStepJobState(turn.id)).toBe('unknown');
    const reaped = await reapStalledSteps(harness.engine, {
      now: new Date(Date.now() + 120_000),
    });
    expect(reaped.reenqueued).toBe(1);
    expect(await harness.queue.getStepJobState(turn.id)).toBe('prioritized');
    const worker = await harness.startWorker();
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    await worker.close();
    expect(finished.status).toBe('succeeded');
  });

  /**
   * Worker A runs a `write_file` call and dies: after the write and before recording it
   * (`crash: 'after-write'`), or after writing its intent and before the write
   * (`crash: 'before-write'`). Worker B then finishes the run.
   */
  async function crashDuringWrite(options: {
    agentName: string;
    crash: 'after-write' | 'before-write';
  }) {
    const agent = await createScriptedAgent(harness, options.agentName, { tools: ['write_file'] });
    const { run, steps } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: {
          target: { kind: 'agent', agentId: agent.id },
          input: `Save the register to a file named ${options.agentName.toLowerCase()}.md`,
        },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const [turn] = steps;
    if (!turn) throw new Error('no first step');
    // Worker A takes the step straight from the database; its job would only confuse the story.
    await harness.queue.queue.remove(turn.id);
    const before = writes;
    crashAfterWrite = options.crash === 'after-write';
    crashBeforeWrite = options.crash === 'before-write';
    crashBeforeRecord = true;

    await expect(
      executeStep(
        { stepId: turn.id, runId: run.id, orgId: harness.orgId },
        {
          ...harness.engine,
          db: crashing.db,
          settings: { ...harness.engine.settings, workerId: 'worker-a' },
        },
      ),
    ).rejects.toThrow();
    expect(writes - before).toBe(options.crash === 'after-write' ? 1 : 0);
    const scope = { orgId: harness.orgId, runId: run.id };
    expect(await listRunToolExecutions(harness.database.db, scope)).toEqual([]);
    await harness.database.pool.query(
      'drop trigger sy_test_crash on steps; drop trigger if exists sy_test_crash_record on tool_executions',
    );
    crashAfterWrite = false;
    crashBeforeWrite = false;
    crashBeforeRecord = false;

    const reaped = await reapStalledSteps(harness.engine, {
      now: new Date(Date.now() + harness.engine.settings.leaseMs + 1_000),
    });
    expect(reaped.requeued).toBe(1);
    const worker = await harness.startWorker();
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    await worker.close();
    expect(finished.status).toBe('succeeded');
    const toolCalls = (await listRunSteps(harness.database.db, scope)).filter(
      (step) => step.kind === 'tool_call',
    );
    expect(toolCalls).toHaveLength(1);
    const events = await listRunEvents(harness.database.db, scope);
    return {
      written: writes - before,
      toolCall: toolCalls[0],
      completed: events.filter((event) => event.type === 'tool.completed'),
      executions: await listRunToolExecutions(harness.database.db, scope),
    };
  }

  it('does not write again when the write landed before its worker died', async () => {
    const outcome = await crashDuringWrite({ agentName: 'Clerk', crash: 'after-write' });
    // Written once: the retry found the call unsettled and the file already holding its content.
    expect(outcome.written).toBe(1);
    expect(outcome.toolCall).toMatchObject({ status: 'succeeded', output: { replayed: true } });
    expect(outcome.executions).toHaveLength(1);
    expect(outcome.completed).toHaveLength(1);
  });

  it('writes once when its worker died after the intent and before the write', async () => {
    const outcome = await crashDuringWrite({ agentName: 'Scribe', crash: 'before-write' });
    expect(outcome.written).toBe(1);
    expect(outcome.toolCall).toMatchObject({ status: 'succeeded', output: { replayed: false } });
    expect(outcome.executions).toHaveLength(1);
  });

  it('never repeats an effect a tool cannot reconcile, and tells the model', async () => {
    const tools = harness.engine.tools;
    // The same tool, unable to tell whether an interrupted write landed.
    const writeFile = tools.get('write_file');
    if (!writeFile) throw new Error('no write_file tool');
    const { reconcile: _ignored, ...blind } = writeFile;
    harness.engine.tools = { get: (name) => (name === 'write_file' ? blind : tools.get(name)) };
    try {
      const outcome = await crashDuringWrite({ agentName: 'Notary', crash: 'after-write' });
      expect(outcome.written).toBe(1);
      expect(outcome.toolCall).toMatchObject({
        status: 'failed',
        error: { code: 'outcome_unknown' },
      });
      expect(outcome.executions).toEqual([]);
      expect(outcome.completed).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({
            ok: false,
            error: expect.objectContaining({ code: 'outcome_unknown' }),
          }),
        }),
      ]);
    } finally {
      harness.engine.tools = tools;
    }
  });
});
