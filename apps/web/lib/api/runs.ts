import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import { runSchema, runWithStepsSchema, type RunStatus } from './runtime-schemas';

/** Runs of an org's agents and teams: start, list, read with steps, and act on them. */

const runsPath = (orgId: string, rest = '') => `/orgs/${encodeURIComponent(orgId)}/runs${rest}`;
const runPath = (orgId: string, runId: string, rest = '') =>
  runsPath(orgId, `/${encodeURIComponent(runId)}${rest}`);

export type RunBudgetInput = {
  maxTokens?: number;
  maxCostMicros?: number;
  maxSteps?: number;
  maxDurationMs?: number;
};

export type CreateRunInput = {
  target: { kind: 'agent'; agentId: string } | { kind: 'team'; teamId: string };
  input: string;
  budget?: RunBudgetInput;
  /**
   * 1 (most urgent) to 10. Without it the api uses the most urgent priority the org's plan tier
   * allows; a more urgent one is lowered to that.
   */
  priority?: number;
};

const runPageSchema = z.object({ runs: z.array(runSchema), nextCursor: z.string().nullable() });

export function listRuns(
  orgId: string,
  params: { status?: RunStatus; cursor?: string; limit?: number },
  client: ApiClient = getApiClient(),
) {
  return client.request(runsPath(orgId), {
    query: { status: params.status, cursor: params.cursor, limit: params.limit },
    schema: runPageSchema,
  });
}

export function getRun(orgId: string, runId: string, client: ApiClient = getApiClient()) {
  return client.request(runPath(orgId, runId), { schema: runWithStepsSchema });
}

/** Queues a run (the api answers 202 at once; the workers execute it). */
export function createRun(orgId: string, input: CreateRunInput, client = getApiClient()) {
  return client.request(runsPath(orgId), { method: 'POST', body: input, schema: runSchema });
}

export function cancelRun(orgId: string, runId: string, client: ApiClient = getApiClient()) {
  return client.request(runPath(orgId, runId, '/cancel'), {
    method: 'POST',
    body: {},
    schema: runSchema,
  });
}

/** Re-queues the failed steps of a failed run, from their last checkpoint; `budget` replaces its budget. */
export function retryRun(
  orgId: string,
  runId: string,
  input: { budget?: RunBudgetInput },
  client: ApiClient = getApiClient(),
) {
  return client.request(runPath(orgId, runId, '/retry'), {
    method: 'POST',
    body: input,
    schema: runSchema,
  });
}

export type ApproveStepInput = { arguments?: unknown; answer?: string; comment?: string };

export async function approveStep(
  orgId: string,
  runId: string,
  stepId: string,
  input: ApproveStepInput,
  client: ApiClient = getApiClient(),
) {
  await client.request(runPath(orgId, runId, `/steps/${encodeURIComponent(stepId)}/approve`), {
    method: 'POST',
    body: input,
  });
}

/** Rejects a parked step: the api cancels the run. */
export async function rejectStep(
  orgId: string,
  runId: string,
  stepId: string,
  input: { reason?: string },
  client: ApiClient = getApiClient(),
) {
  await client.request(runPath(orgId, runId, `/steps/${encodeURIComponent(stepId)}/reject`), {
    method: 'POST',
    body: input,
  });
}

/**
 * Same-origin URL of the run's SSE stream, for `EventSource`. `afterSeq` resumes after that
 * event when a new `EventSource` is opened; an open one resends `Last-Event-ID` by itself.
 */
export function runEventsUrl(orgId: string, runId: string, afterSeq: number): string {
  const base = `/api/v1${runPath(orgId, runId, '/events')}`;
  return afterSeq > 0 ? `${base}?after=${afterSeq}` : base;
}
