import type { Logger } from '@switchyard/shared';
import type { StorageDriver } from '@switchyard/storage';
import type { z } from 'zod';

/** What a tool may use while it runs; the engine builds one per tool call. */
export type ToolContext = {
  orgId: string;
  runId: string;
  stepId: string;
  /** Same on every retry of one call: side-effecting tools record their effect under it. */
  idempotencyKey: string;
  /** Fires on cancel or timeout; tools pass it to anything that waits. */
  signal: AbortSignal;
  storage: StorageDriver;
  log: Logger;
  /** For tools with `needsApproval`: the approver's decision, given when the run resumes. */
  approval?: { answer?: string };
};

/** A tool the model can call. Arguments are validated with `parameters` before `execute`. */
export type Tool<TSchema extends z.ZodType = z.ZodType, TResult = unknown> = {
  name: string;
  description: string;
  parameters: TSchema;
  /** Changes something outside the run: the engine records it by idempotency key. */
  sideEffects: boolean;
  /** The run parks for a human's approval before the tool runs. */
  needsApproval?: boolean;
  /** Returns a JSON-serialisable result; throws `ToolError` for failures the model should see. */
  execute(args: z.output<TSchema>, context: ToolContext): Promise<TResult>;
  /**
   * For side-effecting tools: after a worker died while running this call, tells whether its
   * effect landed (`landed: true`, with the result to report) or not (`landed: false`: the call
   * is made now, once). Without it such a call is never repeated and ends `outcome_unknown`.
   */
  reconcile?(args: z.output<TSchema>, context: ToolContext): Promise<ReconciledEffect<TResult>>;
};

/** What `reconcile` found: the effect of an interrupted call, or none. */
export type ReconciledEffect<TResult> = { landed: true; result: TResult } | { landed: false };

/** Typed identity helper: infers `execute`'s argument type from the schema. */
export function defineTool<TSchema extends z.ZodType, TResult>(
  tool: Tool<TSchema, TResult>,
): Tool<TSchema, TResult> {
  return tool;
}
