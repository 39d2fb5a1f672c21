import { z } from 'zod';
import {
  RUN_STATUSES,
  STEP_KINDS,
  STEP_STATUSES,
  TEAM_STRATEGIES,
  type AgentVersion,
  type AgentWithVersion,
  type Run,
  type Step,
  type Team,
} from '@switchyard/database';
import { orgIdParamsSchema } from './orgs/response-schemas';

/** Response shapes of the agent, team and run routes, and their mappers. */

const timestamp = z.iso.datetime();
const json = z.record(z.string(), z.unknown());
const EXAMPLE_ORG_ID = '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f';
const EXAMPLE_AGENT_ID = '0d9a8b7c-6e5f-4a3b-9c2d-1e0f9a8b7c6d';
const EXAMPLE_USER_ID = '3f0e9c5a-7b1d-4e2f-9a6b-8c4d2e1f0a7b';
const EXAMPLE_RUN_ID = '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const EXAMPLE_STEP_ID = '7c6b5a4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
const EXAMPLE_TIME = '2025-01-01T12:00:00.000Z';

export const agentIdParamsSchema = orgIdParamsSchema.extend({ agentId: z.uuid() });
export const teamIdParamsSchema = orgIdParamsSchema.extend({ teamId: z.uuid() });
export const runIdParamsSchema = orgIdParamsSchema.extend({ runId: z.uuid() });
export const stepIdParamsSchema = runIdParamsSchema.extend({ stepId: z.uuid() });

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});

export const nextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last page.');

const EXAMPLE_DEFINITION = {
  version: 2,
  instructions: 'You research a topic and answer with sources.',
  provider: 'scripted',
  model: 'scripted',
  parameters: { temperature: 0.2 },
  tools: ['http_fetch', 'calculator'],
  maxSteps: 10,
  outputSchema: null,
  createdBy: EXAMPLE_USER_ID,
  createdAt: EXAMPLE_TIME,
};

export const agentVersionSchema = z
  .object({
    version: z.number().int(),
    instructions: z.string(),
    provider: z.string(),
    model: z.string(),
    parameters: z.object({
      temperature: z.number().optional(),
      maxTokens: z.number().int().optional(),
    }),
    tools: z.array(z.string()),
    maxSteps: z.number().int(),
    outputSchema: json.nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'AgentVersion', examples: [EXAMPLE_DEFINITION] });

export const agentSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    currentVersion: z.number().int(),
    definition: agentVersionSchema.describe('The current version (or the one asked for).'),
    createdBy: z.uuid().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'Agent',
    examples: [
      {
        id: EXAMPLE_AGENT_ID,
        orgId: EXAMPLE_ORG_ID,
        name: 'Researcher',
        currentVersion: 2,
        definition: EXAMPLE_DEFINITION,
        createdBy: EXAMPLE_USER_ID,
        createdAt: EXAMPLE_TIME,
        updatedAt: EXAMPLE_TIME,
      },
    ],
  });

export function toAgentVersionResponse(version: AgentVersion): z.infer<typeof agentVersionSchema> {
  return {
    version: version.version,
    instructions: version.instructions,
    provider: version.provider,
    model: version.model,
    parameters: version.parameters,
    tools: version.tools,
    maxSteps: version.maxSteps,
    outputSchema: version.outputSchema ?? null,
    createdBy: version.createdBy,
    createdAt: version.createdAt.toISOString(),
  };
}

export function toAgentResponse(agent: AgentWithVersion): z.infer<typeof agentSchema> {
  return {
    id: agent.id,
    orgId: agent.orgId,
    name: agent.name,
    currentVersion: agent.currentVersion,
    definition: toAgentVersionResponse(agent.definition),
    createdBy: agent.createdBy,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

const teamMemberSchema = z.object({ agentId: z.uuid(), version: z.number().int() });

export const teamSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    strategy: z.enum(TEAM_STRATEGIES),
    planner: teamMemberSchema.nullable(),
    members: z.array(teamMemberSchema).describe('Agent versions pinned when the team was saved.'),
    requirePlanApproval: z
      .boolean()
      .describe('Supervisor teams: a person approves (and may edit) each plan before it runs.'),
    createdBy: z.uuid().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'Team',
    examples: [
      {
        id: '2e1d0c9b-8a7f-4e6d-9c5b-4a3f2e1d0c9b',
        orgId: EXAMPLE_ORG_ID,
        name: 'Research desk',
        strategy: 'supervisor',
        planner: { agentId: EXAMPLE_AGENT_ID, version: 2 },
        members: [{ agentId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e', version: 1 }],
        requirePlanApproval: false,
        createdBy: EXAMPLE_USER_ID,
        createdAt: EXAMPLE_TIME,
        updatedAt: EXAMPLE_TIME,
      },
    ],
  });

export function toTeamResponse(team: Team): z.infer<typeof teamSchema> {
  return {
    id: team.id,
    orgId: team.orgId,
    name: team.name,
    strategy: team.strategy,
    planner:
      team.plannerAgentId && team.plannerAgentVersion
        ? { agentId: team.plannerAgentId, version: team.plannerAgentVersion }
        : null,
    members: team.members,
    requirePlanApproval: team.requirePlanApproval,
    createdBy: team.createdBy,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}

const runErrorSchema = z.looseObject({ code: z.string(), message: z.string() });

const EXAMPLE_RUN = {
  id: EXAMPLE_RUN_ID,
  orgId: EXAMPLE_ORG_ID,
  createdByUserId: EXAMPLE_USER_ID,
  target: { kind: 'agent' as const, agentId: EXAMPLE_AGENT_ID, version: 2 },
  input: 'What is 6 * 7?',
  status: 'succeeded' as const,
  priority: 5,
  budget: { maxTokens: 20_000 },
  usage: { inputTokens: 182, outputTokens: 24, costMicros: 0, modelCalls: 2 },
  result: { output: '6 * 7 = 42' },
  error: null,
  stopReason: null,
  scheduleId: null,
  createdAt: EXAMPLE_TIME,
  startedAt: '2025-01-01T12:00:00.012Z',
  finishedAt: '2025-01-01T12:00:00.085Z',
  deadlineAt: '2025-01-01T13:00:00.000Z',
};

export const runSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    createdByUserId: z.uuid().nullable(),
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('agent'), agentId: z.uuid(), version: z.number().int() }),
      z.object({ kind: z.literal('team'), teamId: z.uuid() }),
    ]),
    input: z.string(),
    status: z.enum(RUN_STATUSES),
    priority: z.number().int(),
    budget: z.object({
      maxTokens: z.number().int().optional(),
      maxCostMicros: z.number().int().optional(),
      maxSteps: z.number().int().optional(),
      maxDurationMs: z.number().int().optional(),
    }),
    usage: z.object({
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      costMicros: z.number().int(),
      modelCalls: z.number().int(),
    }),
    result: json.nullable(),
    error: runErrorSchema.nullable(),
    stopReason: z.string().nullable(),
    scheduleId: z.uuid().nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    deadlineAt: timestamp.nullable(),
  })
  .meta({ id: 'Run', examples: [EXAMPLE_RUN] });

export const stepSchema = z
  .object({
    id: z.uuid(),
    runId: z.uuid(),
    parentStepId: z.uuid().nullable(),
    kind: z.enum(STEP_KINDS),
    status: z.enum(STEP_STATUSES),
    dependsOn: z.array(z.uuid()),
    agentId: z.uuid().nullable(),
    agentVersion: z.number().int().nullable(),
    input: json,
    output: json.nullable(),
    usage: z
      .object({
        inputTokens: z.number().int(),
        outputTokens: z.number().int(),
        costMicros: z.number().int(),
      })
      .nullable(),
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    error: runErrorSchema.nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'Step' });

export const runWithStepsSchema = runSchema
  .extend({ steps: z.array(stepSchema).describe('The step tree, in creation order.') })
  .meta({
    id: 'RunWithSteps',
    examples: [
      {
        ...EXAMPLE_RUN,
        steps: [
          {
            id: EXAMPLE_STEP_ID,
            runId: EXAMPLE_RUN_ID,
            parentStepId: null,
            kind: 'agent_turn',
            status: 'succeeded',
            dependsOn: [],
            agentId: EXAMPLE_AGENT_ID,
            agentVersion: 2,
            input: { task: 'What is 6 * 7?' },
            output: { text: '6 * 7 = 42' },
            usage: { inputTokens: 182, outputTokens: 24, costMicros: 0 },
            attempt: 0,
            maxAttempts: 3,
            error: null,
            createdAt: EXAMPLE_TIME,
            startedAt: '2025-01-01T12:00:00.012Z',
            finishedAt: '2025-01-01T12:00:00.085Z',
          },
        ],
      },
    ],
  });

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toRunResponse(run: Run): z.infer<typeof runSchema> {
  return {
    id: run.id,
    orgId: run.orgId,
    createdByUserId: run.createdByUserId,
    target:
      run.targetKind === 'team'
        ? { kind: 'team', teamId: run.teamId ?? '' }
        : { kind: 'agent', agentId: run.agentId ?? '', version: run.agentVersion ?? 0 },
    input: run.input,
    status: run.status,
    priority: run.priority,
    budget: run.budget,
    usage: {
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      costMicros: run.costMicros,
      modelCalls: run.stepCount,
    },
    result: run.result ?? null,
    error: run.error ?? null,
    stopReason: run.stopReason,
    scheduleId: run.scheduleId,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    deadlineAt: iso(run.deadlineAt),
  };
}

export function toStepResponse(step: Step): z.infer<typeof stepSchema> {
  return {
    id: step.id,
    runId: step.runId,
    parentStepId: step.parentStepId,
    kind: step.kind,
    status: step.status,
    dependsOn: step.dependsOn,
    agentId: step.agentId,
    agentVersion: step.agentVersion,
    input: step.input,
    output: step.output ?? null,
    usage: step.usage ?? null,
    attempt: step.attempt,
    maxAttempts: step.maxAttempts,
    error: step.error ?? null,
    createdAt: step.createdAt.toISOString(),
    startedAt: iso(step.startedAt),
    finishedAt: iso(step.finishedAt),
  };
}

export { EXAMPLE_AGENT_ID, EXAMPLE_RUN, EXAMPLE_RUN_ID, EXAMPLE_STEP_ID };
