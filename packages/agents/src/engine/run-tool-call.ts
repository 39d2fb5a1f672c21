import {
  getStepByIdempotencyKey,
  getToolExecution,
  insertStepOnce,
  insertToolExecution,
  updateStep,
  type RunError,
} from '@switchyard/database';
import { isToolError } from '../tools/tool-error';
import type { Tool, ToolContext } from '../tools/types';
import type { ConversationCheckpoint } from './conversation-checkpoint';
import { approvalKey, parkForApproval } from './park-for-approval';
import { changeClaimedStep, type StepContext } from './step-context';
import { TransientStepError } from './step-errors';
import {
  recordToolIntent,
  toolCallStep,
  withdrawToolIntent,
  type ToolCallRef,
} from './tool-call-intent';

/** Longest tool result handed back to the model; the rest is cut. */
const MAX_TOOL_RESULT_CHARS = 16_000;
/** Longest tool result copied into a `tool.completed` event. */
const MAX_EVENT_RESULT_CHARS = 4_000;

export type ToolCallOutcome =
  | { kind: 'done'; checkpoint: ConversationCheckpoint; tool: Tool | undefined; result: unknown }
  | { kind: 'parked' };

type ToolCallParams = Omit<ToolCallRef, 'key' | 'startedAt'> & {
  tools: ReadonlyMap<string, Tool>;
};

type Settled = { ok: true; result: unknown; replayed: boolean } | { ok: false; error: RunError };

/**
 * Executes one tool call and checkpoints its result as a `tool` message. A tool that needs
 * approval parks the step until a person decides; a side-effecting tool is recorded under the
 * call's idempotency key, so a retried step replays its result instead of repeating the effect,
 * and a call whose worker died before recording it ends `outcome_unknown` instead of running twice.
 */
export async function runToolCall(
  context: StepContext,
  params: ToolCallParams,
): Promise<ToolCallOutcome> {
  const { step, deps } = context;
  const { call } = params;
  const key = `${step.id}:${params.messageIndex}:${call.id}`;
  const startedAt = new Date();
  const tool = params.tools.get(call.name);
  if (!tool) {
    return record(context, params, key, startedAt, undefined, call.arguments, {
      ok: false,
      error: { code: 'unknown_tool', message: `There is no tool named "${call.name}" here.` },
    });
  }
  const parsed = tool.parameters.safeParse(call.arguments);
  if (!parsed.success) {
    return record(context, params, key, startedAt, tool, call.arguments, invalid(parsed.error));
  }
  let args: unknown = parsed.data;
  let approval: ToolContext['approval'];

  if (tool.needsApproval) {
    const decision = await getStepByIdempotencyKey(deps.db, {
      orgId: step.orgId,
      idempotencyKey: approvalKey(key),
    });
    // A cancelled approval (its run failed, then was retried) is asked for again.
    if (
      !decision ||
      decision.status === 'waiting_for_approval' ||
      decision.status === 'cancelled'
    ) {
      await parkForApproval(context, params, key, tool, args);
      return { kind: 'parked' };
    }
    const output = decision.output ?? {};
    if (decision.status !== 'succeeded' || output.approved !== true) {
      return record(context, params, key, startedAt, tool, args, {
        ok: false,
        error: { code: 'refused', message: 'A person rejected this call.' },
      });
    }
    if (output.arguments !== undefined) {
      const edited = tool.parameters.safeParse(output.arguments);
      if (!edited.success) {
        return record(
          context,
          params,
          key,
          startedAt,
          tool,
          output.arguments,
          invalid(edited.error),
        );
      }
      args = edited.data;
    }
    approval = typeof output.answer === 'string' ? { answer: output.answer } : {};
  }

  const toolContext: ToolContext = {
    orgId: step.orgId,
    runId: step.runId,
    stepId: step.id,
    idempotencyKey: key,
    signal: context.signal,
    storage: deps.storage,
    log: context.log.child({ tool: tool.name, toolCallId: call.id }),
    ...(approval ? { approval } : {}),
  };
  let settled: Settled;
  try {
    settled = await execute(context, { ...params, key, startedAt }, tool, args, toolContext);
  } catch (error) {
    if (context.signal.aborted) throw error;
    if (isToolError(error)) {
      if (error.retryable && step.attempt < step.maxAttempts) {
        const unavailable = { code: 'tool_unavailable', message: error.message };
        // The tool reported that it did nothing: the retry may call it again.
        if (tool.sideEffects) await withdrawToolIntent(context, { ...params, key }, unavailable);
        throw new TransientStepError(unavailable, { cause: error });
      }
      settled = { ok: false, error: { code: error.code, message: error.message } };
    } else {
      context.log.warn({ err: error, tool: tool.name }, 'tool failed unexpectedly');
      settled = {
        ok: false,
        error: { code: 'failed', message: `The tool "${tool.name}" failed.` },
      };
    }
  }
  return record(context, params, key, startedAt, tool, args, settled);
}

async function execute(
  context: StepContext,
  call: ToolCallRef,
  tool: Tool,
  args: unknown,
  toolContext: ToolContext,
): Promise<Settled> {
  if (!tool.sideEffects) {
    return { ok: true, result: await tool.execute(args, toolContext), replayed: false };
  }
  const { db } = context.deps;
  const previous = await getToolExecution(db, {
    orgId: toolContext.orgId,
    idempotencyKey: toolContext.idempotencyKey,
  });
  if (previous) return { ok: true, result: previous.result, replayed: true };
  let result: unknown;
  let reconciled = false;
  if (!(await recordToolIntent(context, call, args))) {
    // An earlier execution started this call and never recorded its outcome: its worker died
    // (or timed out) in between, perhaps after the effect. Never repeat it blindly: a tool that
    // can tell whether its effect landed is asked; any other call ends `outcome_unknown`.
    const found = await tool.reconcile?.(args, toolContext);
    if (!found) {
      return {
        ok: false,
        error: {
          code: 'outcome_unknown',
          message: `The worker running "${tool.name}" stopped before recording its outcome; it may or may not have taken effect, so it was not repeated.`,
        },
      };
    }
    reconciled = found.landed;
    result = found.landed ? found.result : await tool.execute(args, toolContext);
  } else {
    result = await tool.execute(args, toolContext);
  }
  // Recorded before the checkpoint: a crash between the two replays this result on retry.
  const stored = await insertToolExecution(db, {
    orgId: toolContext.orgId,
    runId: toolContext.runId,
    stepId: toolContext.stepId,
    idempotencyKey: toolContext.idempotencyKey,
    tool: tool.name,
    result: result ?? null,
  });
  // A reconciled effect was not made again now: like a replay, it reports what was done.
  return { ok: true, result: stored.result, replayed: reconciled };
}

async function record(
  context: StepContext,
  params: ToolCallParams,
  key: string,
  startedAt: Date,
  tool: Tool | undefined,
  args: unknown,
  settled: Settled,
): Promise<ToolCallOutcome> {
  const { call } = params;
  const content = settled.ok
    ? truncate(
        typeof settled.result === 'string' ? settled.result : stringify(settled.result),
        MAX_TOOL_RESULT_CHARS,
      )
    : JSON.stringify({ error: settled.error });
  const next: ConversationCheckpoint = {
    ...params.checkpoint,
    messages: [...params.checkpoint.messages, { role: 'tool', toolCallId: call.id, content }],
  };
  await changeClaimedStep(context, { checkpoint: next }, async ({ tx, emit, step: parent }) => {
    const outcome = {
      status: settled.ok ? ('succeeded' as const) : ('failed' as const),
      output: settled.ok ? { result: settled.result ?? null, replayed: settled.replayed } : null,
      error: settled.ok ? null : settled.error,
      finishedAt: new Date(),
    };
    let child = await insertStepOnce(tx, {
      step: { ...toolCallStep(parent, { ...params, key, startedAt }, args), ...outcome },
    });
    if (child.status === 'running') {
      // The intent written before a side effect: settle it.
      child =
        (await updateStep(tx, {
          orgId: parent.orgId,
          stepId: child.id,
          statuses: ['running'],
          values: outcome,
        })) ?? child;
    }
    emit('tool.completed', {
      stepId: child.id,
      parentStepId: parent.id,
      tool: call.name,
      toolCallId: call.id,
      ok: settled.ok,
      ...(settled.ok
        ? {
            result: truncate(stringify(settled.result), MAX_EVENT_RESULT_CHARS),
            replayed: settled.replayed,
          }
        : { error: settled.error }),
    });
  });
  return { kind: 'done', checkpoint: next, tool, result: settled.ok ? settled.result : undefined };
}

function invalid(error: { issues: { path: PropertyKey[]; message: string }[] }): Settled {
  const details = error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(arguments)'}: ${issue.message}`)
    .join('; ');
  return {
    ok: false,
    error: { code: 'invalid_arguments', message: `The arguments are not valid: ${details}` },
  };
}

function stringify(value: unknown): string {
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… [truncated]` : text;
}
