import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  getStep,
  listAuditEvents,
  listRunSteps,
  listRunToolExecutions,
  type Step,
} from '@switchyard/database';
import { createScriptedProvider } from '../providers';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { createScriptedAgent, RUN_SETTINGS } from '../engine/testing/fixtures';
import { defineTool } from '../tools/types';
import { approveStep } from './approve-step';
import { createRun } from './create-run';
import { rejectStep } from './reject-step';

const sentEmails: { to: string; subject: string }[] = [];
const sendEmailTool = defineTool({
  name: 'send_email',
  description: 'Send an e-mail (a person approves every message first).',
  parameters: z.object({ to: z.string().email(), subject: z.string().min(1) }),
  sideEffects: true,
  needsApproval: true,
  async execute(args) {
    sentEmails.push(args);
    return { sent: true, to: args.to };
  },
});

describe('approvals', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness({ extraTools: [sendEmailTool] });
    await harness.startWorker();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const actor = () => ({ userId: harness.userId, ip: '203.0.113.9' });

  async function startRun(agentName: string, tools: string[], input: string) {
    const agent = await createScriptedAgent(harness, agentName, { tools });
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: actor(),
        input: { target: { kind: 'agent', agentId: agent.id }, input },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    await harness.waitForRun(run.id, ['waiting_for_approval']);
    const steps = await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id });
    const approval = steps.find((step) => step.kind === 'approval');
    const turn = steps.find((step) => step.kind === 'agent_turn');
    if (!approval || !turn) throw new Error('the run did not park on an approval');
    return { run, approval, turn };
  }

  it('parks the run without holding a worker, then resumes it with the answer once approved', async () => {
    const { run, approval, turn } = await startRun(
      'Asker',
      ['ask_human'],
      'Ask a human which region to deploy to',
    );
    expect(approval.status).toBe('waiting_for_approval');
    expect(approval.input).toMatchObject({ tool: 'ask_human' });
    expect(turn.status).toBe('waiting_for_approval');
    expect(turn.claimToken).toBeNull();
    // The job finishes: no worker slot is held while a person decides.
    await vi.waitFor(async () => {
      expect(await harness.queue.getStepJobState(turn.id)).toBe('unknown');
    });

    const decision = await approveStep(
      { orgId: harness.orgId, stepId: approval.id, actor: actor(), input: { answer: 'eu-west-1' } },
      harness.engine,
    );
    expect(decision.alreadyDecided).toBe(false);
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished.status).toBe('succeeded');
    expect(String(finished.result?.output)).toContain('eu-west-1');
    // Parking for a person did not use up an attempt.
    expect(
      await getStep(harness.database.db, { orgId: harness.orgId, stepId: turn.id }),
    ).toMatchObject({ status: 'succeeded', attempt: 1 });

    // Approving again changes nothing and is not audited twice.
    const again = await approveStep(
      { orgId: harness.orgId, stepId: approval.id, actor: actor(), input: { answer: 'us-east-1' } },
      harness.engine,
    );
    expect(again.alreadyDecided).toBe(true);
    const audit = await listAuditEvents(harness.database.db, { orgId: harness.orgId, limit: 50 });
    const approvals = audit.filter((event) => event.action === 'run.step_approved');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({
      actorUserId: harness.userId,
      targetId: approval.id,
      ip: '203.0.113.9',
    });
  });

  it('runs the tool with the arguments as a person edited them', async () => {
    harness.providers.set('scripted', {
      provider: createScriptedProvider({
        script: [
          {
            toolCalls: [
              { name: 'send_email', arguments: { to: 'all@example.com', subject: 'Hi' } },
            ],
          },
        ],
      }),
    });
    try {
      const { run, approval } = await startRun('Mailer', ['send_email'], 'Announce the release');
      await approveStep(
        {
          orgId: harness.orgId,
          stepId: approval.id,
          actor: actor(),
          input: { arguments: { to: 'team@example.com', subject: 'Release' } },
        },
        harness.engine,
      );
      const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
      expect(finished.status).toBe('succeeded');
      expect(sentEmails).toEqual([{ to: 'team@example.com', subject: 'Release' }]);
      const executions = await listRunToolExecutions(harness.database.db, {
        orgId: harness.orgId,
        runId: run.id,
      });
      expect(executions.map((execution) => execution.result)).toEqual([
        { sent: true, to: 'team@example.com' },
      ]);
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
    }
  });

  it('refuses edited arguments that do not fit the tool', async () => {
    harness.providers.set('scripted', {
      provider: createScriptedProvider({
        script: [
          {
            toolCalls: [{ name: 'send_email', arguments: { to: 'a@example.com', subject: 'Hi' } }],
          },
        ],
      }),
    });
    try {
      const { approval } = await startRun('Mailer 2', ['send_email'], 'Mail someone');
      await expect(
        approveStep(
          {
            orgId: harness.orgId,
            stepId: approval.id,
            actor: actor(),
            input: { arguments: { to: 'not an address', subject: 'Hi' } },
          },
          harness.engine,
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const unchanged = await getStep(harness.database.db, {
        orgId: harness.orgId,
        stepId: approval.id,
      });
      expect(unchanged?.status).toBe('waiting_for_approval');
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
    }
  });

  it('ends the run when a person rejects, idempotently, and never runs the tool', async () => {
    const before = sentEmails.length;
    harness.providers.set('scripted', {
      provider: createScriptedProvider({
        script: [
          {
            toolCalls: [{ name: 'send_email', arguments: { to: 'b@example.com', subject: 'Yo' } }],
          },
        ],
      }),
    });
    try {
      const { run, approval, turn } = await startRun('Mailer 3', ['send_email'], 'Mail b');
      const decision = await rejectStep(
        { orgId: harness.orgId, stepId: approval.id, actor: actor(), input: { reason: 'Not now' } },
        harness.engine,
      );
      expect(decision.run).toMatchObject({ status: 'cancelled', stopReason: 'approval_rejected' });
      const again = await rejectStep(
        { orgId: harness.orgId, stepId: approval.id, actor: actor() },
        harness.engine,
      );
      expect(again.alreadyDecided).toBe(true);
      await expect(
        approveStep({ orgId: harness.orgId, stepId: approval.id, actor: actor() }, harness.engine),
      ).rejects.toMatchObject({ code: 'CONFLICT' });

      const steps = await listRunSteps(harness.database.db, {
        orgId: harness.orgId,
        runId: run.id,
      });
      const byId = (id: string) => steps.find((step: Step) => step.id === id);
      expect(byId(turn.id)?.status).toBe('cancelled');
      expect(byId(approval.id)).toMatchObject({ status: 'failed', output: { approved: false } });
      expect(sentEmails).toHaveLength(before);
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
    }
  });

  it("answers another org's approval as not found", async () => {
    await expect(
      approveStep(
        {
          orgId: '00000000-0000-4000-8000-000000000000',
          stepId: '00000000-0000-4000-8000-000000000001',
          actor: actor(),
        },
        harness.engine,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
