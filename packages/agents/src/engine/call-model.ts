import { randomUUID } from 'node:crypto';
import {
  addRunUsage,
  deferCommitFlush,
  getRun,
  incrementRunSteps,
  insertSteps,
  insertUsageRecord,
  type AgentVersion,
  type CompleteStepWithEventsParams,
  type Run,
  type Step,
  type StepUsage,
} from '@switchyard/database';
import type { RunChangeContext } from '../events/record-run-change';
import type { RunEventType } from '../events/run-event-types';
import { checkBudget } from '../budgets/check-budget';
import {
  computeCostMicros,
  estimateMessageTokens,
  estimateTokens,
  isProviderError,
  type ChatMessage,
  type ModelResponse,
  type ToolSpec,
} from '../providers';
import { addUsage, type ConversationCheckpoint } from './conversation-checkpoint';
import type { ResolvedProvider } from './engine-deps';
import { createDeltaRecorder } from './delta-recorder';
import { changeClaimedStep, type StepContext } from './step-context';
import {
  BudgetExceededError,
  LostClaimError,
  PermanentStepError,
  StepDelayError,
  TransientStepError,
} from './step-errors';

/** Backoff after a 429 that named no Retry-After. */
const DEFAULT_RATE_LIMIT_DELAY_MS = 5_000;

/** A model call made but not stored yet: stored with the step's completion (`completeStep`). */
export type DeferredModelCall = {
  /** The step's checkpoint and usage after the call. */
  values: { checkpoint: ConversationCheckpoint; usage: StepUsage };
  /** Stores the call (its `model_call` step, usage record, run usage and events). */
  record: (change: RunChangeContext & { step: Step }) => Promise<void>;
  /** The same as data, for the completion in one statement (`completeStepWithEvents`). */
  stored: Pick<CompleteStepWithEventsParams, 'modelCall' | 'usageRecord' | 'modelCalls'> & {
    /** Its events, `model.completed` without the run's totals (the statement adds them). */
    events: { type: RunEventType; data: Record<string, unknown> }[];
  };
};

/**
 * One model call of a step: waits out the provider's shared rate limit, checks the run's budget
 * (counting the call), calls the model with streaming, then checkpoints the answer, its usage and
 * cost (once, with a `model_call` child step and a usage record) in one transaction. With
 * `deferFinal`, a final answer (no tool call) is returned as `deferred` instead, to be stored in
 * the transaction that completes the step: one commit instead of two, still before the ack.
 */
export async function callModel(
  context: StepContext,
  params: {
    agent: AgentVersion;
    tools: ToolSpec[];
    checkpoint: ConversationCheckpoint;
    deferFinal?: boolean;
  },
): Promise<{ checkpoint: ConversationCheckpoint; deferred?: DeferredModelCall }> {
  const { agent, checkpoint } = params;
  const { step, deps } = context;
  const resolved = deps.providers.get(agent.provider);
  if (!resolved) {
    throw new PermanentStepError({
      code: 'provider_not_configured',
      message: `The model provider "${agent.provider}" is not configured on this server.`,
    });
  }
  if (resolved.limiter) {
    const decision = await resolved.limiter.acquire();
    if (!decision.granted) {
      throw new StepDelayError(decision.retryAfterMs, `${agent.provider} is rate limited`);
    }
  }
  const estimate =
    estimateMessageTokens(checkpoint.messages) +
    (params.tools.length > 0 ? estimateTokens(JSON.stringify(params.tools)) : 0);
  const { counted } = await reserveModelCall(context, {
    inputTokens: estimate,
    costMicros: computeCostMicros(agent.provider, agent.model, {
      inputTokens: estimate,
      outputTokens: 0,
    }).costMicros,
  });

  const startedAt = new Date();
  const deltas = createDeltaRecorder(context);
  let response: ModelResponse;
  try {
    response = await resolved.provider.complete({
      model: agent.model,
      messages: checkpoint.messages,
      ...(params.tools.length > 0 ? { tools: params.tools } : {}),
      ...(agent.parameters.temperature === undefined
        ? {}
        : { temperature: agent.parameters.temperature }),
      ...(agent.parameters.maxTokens === undefined
        ? {}
        : { maxTokens: agent.parameters.maxTokens }),
      signal: context.signal,
      onDelta: deltas.push,
    });
  } catch (error) {
    await deltas.drain();
    throw await classifyProviderError(error, resolved);
  }
  const streamed = await deltas.drain();

  const { costMicros } = computeCostMicros(agent.provider, agent.model, response.usage);
  const callUsage = { ...response.usage, costMicros };
  const message: ChatMessage = {
    role: 'assistant',
    content: response.message.content,
    ...(response.message.toolCalls?.length ? { toolCalls: response.message.toolCalls } : {}),
  };
  const next: ConversationCheckpoint = {
    messages: [...checkpoint.messages, message],
    modelCalls: checkpoint.modelCalls + 1,
    usage: addUsage(checkpoint.usage, callUsage),
  };
  // The child's id is chosen here: its writes then travel together, and its events are known.
  const childId = randomUUID();
  const completed = {
    stepId: childId,
    parentStepId: step.id,
    provider: agent.provider,
    model: agent.model,
    finishReason: response.finishReason,
    content: message.content,
    toolCalls: (message.toolCalls ?? []).map((call) => ({ id: call.id, name: call.name })),
    usage: callUsage,
  };
  const finishedAt = new Date();
  const stored: DeferredModelCall['stored'] = {
    modelCall: {
      id: childId,
      position: next.modelCalls,
      input: { provider: agent.provider, model: agent.model, messages: checkpoint.messages.length },
      output: { message, finishReason: response.finishReason },
      usage: callUsage,
      startedAt,
      finishedAt,
    },
    usageRecord: {
      provider: agent.provider,
      model: agent.model,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costMicros,
    },
    modelCalls: counted ? 0 : 1,
    events: [
      ...(streamed
        ? [{ type: 'model.delta' as const, data: { stepId: step.id, text: streamed } }]
        : []),
      { type: 'model.completed', data: completed },
    ],
  };
  const record: DeferredModelCall['record'] = async ({ tx, emit, step: parent }) => {
    if (streamed) emit('model.delta', { stepId: parent.id, text: streamed });
    // Pipelined: the three writes travel together.
    const [[child], , run] = await Promise.all([
      insertSteps(tx, {
        steps: [
          {
            ...stored.modelCall,
            runId: parent.runId,
            orgId: parent.orgId,
            kind: 'model_call',
            parentStepId: parent.id,
            status: 'succeeded',
            agentId: parent.agentId,
            agentVersion: parent.agentVersion,
            attempt: 1,
          },
        ],
      }),
      insertUsageRecord(tx, {
        orgId: parent.orgId,
        runId: parent.runId,
        stepId: childId,
        attempt: 1,
        ...stored.usageRecord,
      }),
      addRunUsage(tx, {
        orgId: parent.orgId,
        runId: parent.runId,
        ...callUsage,
        modelCalls: stored.modelCalls,
      }),
    ]);
    if (!child) throw new Error('insert of a model_call step returned no row');
    emit('model.completed', {
      ...completed,
      ...(run
        ? {
            runUsage: {
              inputTokens: run.inputTokens,
              outputTokens: run.outputTokens,
              costMicros: run.costMicros,
              steps: run.stepCount,
            },
          }
        : {}),
    });
  };
  const values = { checkpoint: next, usage: next.usage };
  if (params.deferFinal && !message.toolCalls) {
    return { checkpoint: next, deferred: { values, record, stored } };
  }
  await changeClaimedStep(context, values, record);
  context.log.debug({ stepId: step.id, usage: callUsage }, 'model call recorded');
  return { checkpoint: next };
}

/**
 * Checks the budget before the call (a cancelled run is also caught at the checkpoint, and its
 * call aborted by the cancel listener). With a `maxSteps` budget the call is counted now, under the
 * run lock, so parallel steps add up: the count goes up first (taking the lock) and is rolled back
 * when the call is not allowed; that commit does not wait for the disk, since it emits no event
 * and nothing acts on it before this step's checkpoint, whose synchronous commit makes it durable
 * too. Without one, the check needs no lock (token, cost and time limits are checked against the
 * usage so far, which the lock never reserved; without those, the claimed run's deadline is all
 * there is to check) and the call is counted when it is recorded.
 */
async function reserveModelCall(
  context: StepContext,
  estimate: { inputTokens: number; costMicros: number },
): Promise<{ counted: boolean }> {
  const { step } = context;
  const key = { orgId: step.orgId, runId: step.runId };
  const check = (run: Run | null, stepsBefore: (run: Run) => number) => {
    if (!run || (run.status !== 'running' && run.status !== 'waiting_for_approval')) {
      throw new LostClaimError(step.id);
    }
    const verdict = checkBudget({
      budget: run.budget,
      usage: { ...run, steps: stepsBefore(run) },
      estimate,
      deadlineAt: run.deadlineAt,
      now: new Date(),
    });
    if (!verdict.ok) throw new BudgetExceededError(verdict);
  };
  // A run's budget and deadline change only on retry, once the run has failed: the claimed run's
  // are current. Only token and cost limits need the run's current totals.
  const { budget } = context.run;
  if (budget.maxSteps === undefined) {
    const usageLimited = budget.maxTokens !== undefined || budget.maxCostMicros !== undefined;
    const run = usageLimited ? await getRun(context.deps.db, key) : context.run;
    check(run, (current) => current.stepCount);
    return { counted: false };
  }
  await context.deps.db.transaction(async (tx) => {
    await deferCommitFlush(tx);
    check(await incrementRunSteps(tx, key), (run) => run.stepCount - 1);
  });
  return { counted: true };
}

async function classifyProviderError(error: unknown, resolved: ResolvedProvider): Promise<unknown> {
  if (!isProviderError(error)) {
    return new TransientStepError(
      { code: 'model_error', message: 'The model call failed unexpectedly.' },
      { cause: error },
    );
  }
  switch (error.kind) {
    case 'aborted':
      return error;
    case 'rate_limited': {
      const delayMs = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS;
      await resolved.limiter?.reportRateLimited(delayMs);
      return new StepDelayError(delayMs, `${error.providerId} answered 429`);
    }
    case 'transient':
      return new TransientStepError(
        { code: 'model_unavailable', message: error.message },
        { cause: error },
      );
    case 'permanent':
      return new PermanentStepError({ code: 'model_error', message: error.message });
  }
}
