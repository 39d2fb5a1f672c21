import { z } from 'zod';

/**
 * The agent runtime's answers (agents, teams, runs, steps, run events) as this app reads them.
 * The enums mirror the api's; extra fields are ignored so the api may add some.
 */

export const RUN_STATUSES = [
  'queued',
  'running',
  'waiting_for_approval',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const STEP_KINDS = [
  'plan',
  'agent_turn',
  'model_call',
  'tool_call',
  'approval',
  'synthesis',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const STEP_STATUSES = [
  'pending',
  'queued',
  'running',
  'waiting_for_approval',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const TEAM_STRATEGIES = ['supervisor', 'sequential', 'handoff'] as const;
export type TeamStrategy = (typeof TEAM_STRATEGIES)[number];

/** The api's model providers; `scripted` is the offline model that needs no key. */
export const PROVIDERS = ['scripted', 'openai', 'anthropic', 'openai-compatible'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The built-in tools an agent may be given (the api's `BUILT_IN_TOOL_NAMES`). */
export const BUILT_IN_TOOLS = [
  { name: 'http_fetch', label: 'Fetch a web page (public http/https only)' },
  { name: 'calculator', label: 'Calculator' },
  { name: 'current_time', label: 'Current date and time' },
  { name: 'read_file', label: "Read the organisation's files" },
  { name: 'write_file', label: "Write the organisation's files" },
  { name: 'ask_human', label: 'Ask a person (pauses the run for an answer)' },
  { name: 'handoff', label: 'Hand off to another team member (handoff teams)' },
] as const;

const json = z.record(z.string(), z.unknown());

export const agentVersionSchema = z.object({
  version: z.number(),
  instructions: z.string(),
  provider: z.string(),
  model: z.string(),
  parameters: z.object({ temperature: z.number().optional(), maxTokens: z.number().optional() }),
  tools: z.array(z.string()),
  maxSteps: z.number(),
  createdAt: z.string(),
});

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  currentVersion: z.number(),
  definition: agentVersionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;

const teamMemberSchema = z.object({ agentId: z.string(), version: z.number() });

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  strategy: z.enum(TEAM_STRATEGIES),
  planner: teamMemberSchema.nullable(),
  members: z.array(teamMemberSchema),
  /** Supervisor teams: every plan waits for a person's approval before its subtasks run. */
  requirePlanApproval: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof teamSchema>;

const runBudgetSchema = z.object({
  maxTokens: z.number().optional(),
  maxCostMicros: z.number().optional(),
  maxSteps: z.number().optional(),
  maxDurationMs: z.number().optional(),
});

const runErrorSchema = z.looseObject({ code: z.string(), message: z.string() });

export const runUsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  costMicros: z.number(),
  modelCalls: z.number(),
});
export type RunUsage = z.infer<typeof runUsageSchema>;

export const runSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  createdByUserId: z.string().nullable(),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('agent'), agentId: z.string(), version: z.number() }),
    z.object({ kind: z.literal('team'), teamId: z.string() }),
  ]),
  input: z.string(),
  status: z.enum(RUN_STATUSES),
  /** 1 (most urgent) to 10, after the org's plan tier capped it. */
  priority: z.number().optional(),
  budget: runBudgetSchema,
  usage: runUsageSchema,
  result: json.nullable(),
  error: runErrorSchema.nullable(),
  stopReason: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

export const stepSchema = z.object({
  id: z.string(),
  parentStepId: z.string().nullable(),
  kind: z.enum(STEP_KINDS),
  status: z.enum(STEP_STATUSES),
  dependsOn: z.array(z.string()),
  agentId: z.string().nullable(),
  agentVersion: z.number().nullable(),
  input: json,
  output: json.nullable(),
  usage: z
    .object({ inputTokens: z.number(), outputTokens: z.number(), costMicros: z.number() })
    .nullable(),
  attempt: z.number(),
  maxAttempts: z.number(),
  error: runErrorSchema.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Step = z.infer<typeof stepSchema>;

export const runWithStepsSchema = runSchema.extend({ steps: z.array(stepSchema) });
export type RunWithSteps = z.infer<typeof runWithStepsSchema>;

/** One message of `GET …/runs/:id/events` (SSE `data:`); `seq` is also the SSE `id`. */
export const runEventSchema = z.object({
  runId: z.string(),
  seq: z.number().int(),
  type: z.string(),
  data: json,
  createdAt: z.string(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

/** A cron schedule: it starts a run of its target with a fixed task, budget and priority. */
export const scheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  cron: z.string(),
  /** IANA time zone the cron pattern is read in. */
  timezone: z.string(),
  target: z.object({
    kind: z.enum(['agent', 'team']),
    /** The agent's or the team's id. */
    id: z.string(),
    input: z.string(),
    budget: runBudgetSchema.optional(),
    priority: z.number().optional(),
  }),
  paused: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastRunAt: z.string().nullable(),
  /** When it fires next, as the api works it out from its pattern; null while paused. */
  nextRunAt: z.string().nullable(),
});
export type Schedule = z.infer<typeof scheduleSchema>;
