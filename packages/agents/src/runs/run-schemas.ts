import { z } from 'zod';
import { RUN_STATUSES } from '@switchyard/database';
import { MAX_LIST_LIMIT } from '../agents/agent-schemas';
import { RUN_PRIORITY_RANGE } from '../queue/run-queue';

/** Longest task a run accepts, in characters. */
export const MAX_RUN_INPUT_LENGTH = 100_000;

export const runBudgetSchema = z
  .object({
    maxTokens: z.number().int().min(1).max(100_000_000).optional(),
    maxCostMicros: z.number().int().min(1).max(1_000_000_000_000).optional(),
    maxSteps: z.number().int().min(1).max(10_000).optional(),
    maxDurationMs: z
      .number()
      .int()
      .min(1_000)
      .max(7 * 24 * 3600 * 1000)
      .optional(),
  })
  .strict();
export type RunBudgetInput = z.infer<typeof runBudgetSchema>;

export const runTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('agent'),
      agentId: z.uuid(),
      /** A specific version; the agent's current one when omitted. */
      version: z.number().int().min(1).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('team'), teamId: z.uuid() }).strict(),
]);
export type RunTarget = z.infer<typeof runTargetSchema>;

export const createRunSchema = z
  .object({
    target: runTargetSchema,
    input: z.string().trim().min(1).max(MAX_RUN_INPUT_LENGTH),
    budget: runBudgetSchema.default({}),
    /**
     * 1 (most urgent) to 10. Defaults to the most urgent priority the org's plan tier allows; a
     * more urgent value than the tier allows is lowered to it.
     */
    priority: z
      .number()
      .int()
      .min(RUN_PRIORITY_RANGE.highest)
      .max(RUN_PRIORITY_RANGE.lowest)
      .optional(),
  })
  .strict();
export type CreateRunInput = z.input<typeof createRunSchema>;

export const listRunsSchema = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  agentId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListRunsInput = z.input<typeof listRunsSchema>;

export const runPrioritySchema = z
  .number()
  .int()
  .min(RUN_PRIORITY_RANGE.highest)
  .max(RUN_PRIORITY_RANGE.lowest);

export const approveStepSchema = z
  .object({
    /** Replaces the tool call's arguments (validated against the tool's schema when it runs). */
    arguments: z.unknown().optional(),
    /** For `ask_human`: the person's answer, handed to the model. */
    answer: z.string().max(20_000).optional(),
    comment: z.string().max(2_000).optional(),
  })
  .strict();
export type ApproveStepInput = z.input<typeof approveStepSchema>;

export const rejectStepSchema = z.object({ reason: z.string().max(2_000).optional() }).strict();
export type RejectStepInput = z.input<typeof rejectStepSchema>;

export const retryRunSchema = z
  .object({
    /** The failed step to resume; every failed step of the run when omitted. */
    stepId: z.uuid().optional(),
    /** Replaces the run's budget (for example after it stopped with `budget_exceeded`). */
    budget: runBudgetSchema.optional(),
  })
  .strict();
export type RetryRunInput = z.input<typeof retryRunSchema>;
