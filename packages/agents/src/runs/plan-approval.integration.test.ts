import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listRunEvents, listRunSteps, type Step } from '@switchyard/database';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from '../engine/testing/fixtures';
import { approveStep } from './approve-step';
import { createRun } from './create-run';
import { rejectStep } from './reject-step';

describe('plan approvals', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
    await harness.startWorker({ concurrency: 4 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const actor = () => ({ userId: harness.userId });

  async function supervisorTeam(prefix: string, requirePlanApproval: boolean) {
    const planner = await createScriptedAgent(harness, `${prefix} Planner`);
    const members = [];
    for (const role of ['Researcher', 'Analyst', 'Writer']) {
      members.push(await createScriptedAgent(harness, `${prefix} ${role}`));
    }
    return createScriptedTeam(harness, {
      name: `${prefix} team`,
      strategy: 'supervisor',
      planner: planner.id,
      members: members.map((member) => member.id),
      requirePlanApproval,
    });
  }

  async function start(teamId: string, input: string) {
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: actor(),
        input: { target: { kind: 'team', teamId }, input },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    return run;
  }

  async function steps(runId: string): Promise<Step[]> {
    return listRunSteps(harness.database.db, { orgId: harness.orgId, runId });
  }

  /** Waits until the run has `count` approval steps waiting, and returns them. */
  async function waitingApprovals(runId: string, count: number): Promise<Step[]> {
    return vi.waitFor(
      async () => {
        const waiting = (await steps(runId)).filter(
          (step) => step.kind === 'approval' && step.status === 'waiting_for_approval',
        );
        expect(waiting).toHaveLength(count);
        return waiting;
      },
      { timeout: 20_000, interval: 25 },
    );
  }

  it('holds every subtask until a person approves the plan, with the tasks they edited', async () => {
    const team = await supervisorTeam('Gate', true);
    const run = await start(team.id, 'Compare three databases');
    const [approval] = await waitingApprovals(run.id, 1);
    if (!approval) throw new Error('no approval');
    expect(approval.input).toMatchObject({ kind: 'plan' });
    const planned = approval.input.subtasks as { id: string; stepId: string }[];
    expect(planned).toHaveLength(3);
    await harness.waitForRun(run.id, ['waiting_for_approval']);
    // Nothing of the plan ran: every subtask is still pending.
    const before = (await steps(run.id)).filter((step) => step.kind === 'agent_turn');
    expect(before.map((step) => step.status)).toEqual(['pending', 'pending', 'pending']);

    await expect(
      approveStep(
        {
          orgId: harness.orgId,
          stepId: approval.id,
          actor: actor(),
          input: { arguments: { subtasks: [{ id: 'nope', task: 'Other' }] } },
        },
        harness.engine,
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const first = planned[0];
    if (!first) throw new Error('no subtask');
    await approveStep(
      {
        orgId: harness.orgId,
        stepId: approval.id,
        actor: actor(),
        input: { arguments: { subtasks: [{ id: first.id, task: 'Benchmark PostgreSQL only' }] } },
      },
      harness.engine,
    );
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished.status).toBe('succeeded');
    const edited = (await steps(run.id)).find((step) => step.id === first.stepId);
    expect(edited).toMatchObject({
      status: 'succeeded',
      input: { task: 'Benchmark PostgreSQL only' },
    });
    expect(String(edited?.output?.text ?? JSON.stringify(edited?.output))).toContain(
      'Benchmark PostgreSQL only',
    );
    const events = await listRunEvents(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    const types = events.map((event) => event.type);
    expect(types).toContain('approval.requested');
    expect(types.indexOf('approval.approved')).toBeLessThan(
      events.findIndex(
        (event) => event.type === 'step.started' && event.data.stepId === first.stepId,
      ),
    );
  });

  it('gates only the subtasks the planner marked, while the others go on', async () => {
    const team = await supervisorTeam('Marked', false);
    // The scripted planner marks every subtask of a task asking for sign-off.
    const run = await start(team.id, 'Draft the launch e-mail with sign-off');
    const approvals = await waitingApprovals(run.id, 3);
    const byTask = (task: RegExp) => approvals.find((step) => task.test(String(step.input.task)));
    const part2 = byTask(/^Part 2/);
    const part1 = byTask(/^Part 1/);
    const combine = byTask(/^Combine/);
    if (!part1 || !part2 || !combine) throw new Error('missing subtask approvals');

    await approveStep({ orgId: harness.orgId, stepId: part2.id, actor: actor() }, harness.engine);
    await vi.waitFor(
      async () => {
        const turn = (await steps(run.id)).find(
          (step) => step.id === (part2.input.stepId as string),
        );
        expect(turn?.status).toBe('succeeded');
      },
      { timeout: 20_000, interval: 25 },
    );
    const waiting = await steps(run.id);
    expect(waiting.find((step) => step.id === part1.input.stepId)?.status).toBe('pending');
    await harness.waitForRun(run.id, ['waiting_for_approval']);

    await approveStep(
      {
        orgId: harness.orgId,
        stepId: combine.id,
        actor: actor(),
        input: { arguments: { task: 'Combine both parts into one short e-mail' } },
      },
      harness.engine,
    );
    await approveStep({ orgId: harness.orgId, stepId: part1.id, actor: actor() }, harness.engine);
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished.status).toBe('succeeded');
    const combined = (await steps(run.id)).find((step) => step.id === combine.input.stepId);
    expect(combined?.input.task).toBe('Combine both parts into one short e-mail');
  });

  it('cancels the run without running any subtask when the plan is rejected', async () => {
    const team = await supervisorTeam('Refused', true);
    const run = await start(team.id, 'Delete the staging data');
    const [approval] = await waitingApprovals(run.id, 1);
    if (!approval) throw new Error('no approval');
    await rejectStep(
      { orgId: harness.orgId, stepId: approval.id, actor: actor(), input: { reason: 'No.' } },
      harness.engine,
    );
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished).toMatchObject({ status: 'cancelled', stopReason: 'approval_rejected' });
    const turns = (await steps(run.id)).filter((step) => step.kind === 'agent_turn');
    expect(turns.every((step) => step.startedAt === null)).toBe(true);
  });
});
