'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Square } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useMemo, type ReactNode } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { FormError } from '@/components/forms/form-error';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { ApprovalCard } from '@/components/runs/approval-card';
import { RetryRunDialog } from '@/components/runs/retry-run-dialog';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { StepTree } from '@/components/runs/step-tree';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { useRunEvents, type StreamState } from '@/hooks/use-run-events';
import { useTargetNames } from '@/hooks/use-target-names';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import { cancelRun, getRun } from '@/lib/api/runs';
import type { RunUsage, RunWithSteps } from '@/lib/api/runtime-schemas';
import { buildStepTree, findWaitingApprovals } from '@/lib/runs/build-step-tree';
import { isRunActive } from '@/lib/runs/run-status';
import {
  formatCostMicros,
  formatCount,
  formatDateTime,
  formatDuration,
  formatElapsed,
} from '@/lib/format';
import { cn } from '@/lib/utils';

export function RunPage({ orgId, runId }: { orgId: string; runId: string }) {
  const queryClient = useQueryClient();
  const runKey = runtimeQueryKeys.run(orgId, runId);
  const run = useQuery({ queryKey: runKey, queryFn: () => getRun(orgId, runId) });
  const refetch = run.refetch;
  const onChange = useCallback(() => void refetch(), [refetch]);
  const { state: live, streamState, resume } = useRunEvents(orgId, runId, onChange);
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
  const targetName = useTargetNames(orgId);
  // A retry starts the run's work again: the api asks for the permission to start runs.
  const canRetry = useOrgRole(orgId).can('run:create');
  const tree = useMemo(() => buildStepTree(run.data?.steps ?? []), [run.data?.steps]);

  if (run.isPending) {
    return (
      <OrgFrame orgId={orgId} title="Run" wide>
        <div className="h-96 animate-pulse rounded-xl bg-muted" aria-label="Loading the run" />
      </OrgFrame>
    );
  }
  if (run.isError) {
    return (
      <OrgFrame orgId={orgId} title="Run" wide>
        <FormError message={describeError(run.error)} />
      </OrgFrame>
    );
  }

  const data = run.data;
  // The newer of the last fetch and the last event wins.
  const status = live.status && live.statusAt > run.dataUpdatedAt ? live.status : data.status;
  const usage: RunUsage = live.usage && live.usageAt > run.dataUpdatedAt ? live.usage : data.usage;
  // Subtask approvals may wait while the rest of the plan runs: not only in `waiting_for_approval`.
  const approvals = isRunActive(status) ? findWaitingApprovals(data.steps) : [];
  const agentName = (agentId: string | null) =>
    agentId ? (agents.data?.find((agent) => agent.id === agentId)?.name ?? null) : null;
  const afterAction = (next?: Partial<RunWithSteps>) => {
    if (next) queryClient.setQueryData<RunWithSteps>(runKey, (old) => old && { ...old, ...next });
    void refetch();
  };

  return (
    <OrgFrame
      orgId={orgId}
      wide
      title={
        <span className="flex flex-wrap items-center gap-3">
          Run
          <RunStatusBadge status={status} />
        </span>
      }
      description={<StreamIndicator state={streamState} active={isRunActive(status)} />}
      actions={
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline" size="sm">
            <Link href={`/orgs/${orgId}/runs`}>
              <ArrowLeft aria-hidden="true" />
              All runs
            </Link>
          </Button>
          {isRunActive(status) ? (
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm" className="text-destructive">
                  <Square aria-hidden="true" />
                  Cancel run
                </Button>
              }
              title="Cancel this run?"
              description="Work in flight is stopped and the remaining steps are skipped."
              confirmLabel="Cancel run"
              destructive
              onConfirm={async () => afterAction(await cancelRun(orgId, runId))}
            />
          ) : null}
          {canRetry && status === 'failed' && data.status === 'failed' ? (
            <RetryRunDialog
              orgId={orgId}
              run={data}
              onRetried={(retried) => {
                afterAction(retried);
                resume();
              }}
            />
          ) : null}
        </div>
      }
    >
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="grid min-w-0 content-start gap-6">
          <section aria-label="Task" className="grid gap-2 rounded-xl border bg-card p-5 shadow-sm">
            <p className="text-xs font-medium text-muted-foreground uppercase">Task</p>
            <p className="whitespace-pre-wrap break-words" data-testid="run-input">
              {data.input}
            </p>
          </section>
          {approvals.map((step) => (
            <ApprovalCard
              key={step.id}
              orgId={orgId}
              runId={runId}
              step={step}
              onDecided={() => afterAction()}
            />
          ))}
          <RunOutcome run={data} status={status} canRetry={canRetry} />
          <SettingsSection title="Steps">
            <StepTree nodes={tree} streamed={live.streamed} agentName={agentName} />
          </SettingsSection>
          <details className="group rounded-xl border bg-card p-5 shadow-sm">
            <summary className="cursor-pointer text-sm font-semibold">
              Event log ({live.log.length})
            </summary>
            <ol className="mt-3 grid gap-1 font-mono text-xs" aria-label="Events">
              {live.log.map((entry) => (
                <li key={entry.seq} className="flex gap-3">
                  <span className="w-8 shrink-0 text-right text-muted-foreground">
                    #{entry.seq}
                  </span>
                  <span className="w-40 shrink-0 truncate text-muted-foreground">{entry.type}</span>
                  <span className="min-w-0 break-words">{entry.summary}</span>
                </li>
              ))}
            </ol>
          </details>
        </div>
        <aside className="grid content-start gap-6">
          <dl
            className="grid gap-3 rounded-xl border bg-card p-5 text-sm shadow-sm"
            aria-label="Usage"
          >
            <Fact label="Target">{targetName(data.target)}</Fact>
            <Fact label="Input tokens">{formatCount(usage.inputTokens)}</Fact>
            <Fact label="Output tokens">{formatCount(usage.outputTokens)}</Fact>
            <Fact label="Cost">{formatCostMicros(usage.costMicros)}</Fact>
            <Fact label="Model calls">{formatCount(usage.modelCalls)}</Fact>
            <Fact label="Created">{formatDateTime(data.createdAt)}</Fact>
            <Fact label="Duration">
              {data.startedAt ? formatElapsed(data.startedAt, data.finishedAt) : '—'}
            </Fact>
          </dl>
          <BudgetFacts budget={data.budget} />
        </aside>
      </div>
    </OrgFrame>
  );
}

function RunOutcome({
  run,
  status,
  canRetry,
}: {
  run: RunWithSteps;
  status: RunWithSteps['status'];
  canRetry: boolean;
}) {
  if (status === 'succeeded' && run.status === 'succeeded') {
    const output = typeof run.result?.output === 'string' ? run.result.output : null;
    return (
      <Alert variant="success" data-testid="run-result">
        <AlertTitle>Result</AlertTitle>
        <AlertDescription>
          <p className="whitespace-pre-wrap break-words text-foreground">
            {output ?? JSON.stringify(run.result, null, 2)}
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  if ((status === 'failed' || status === 'cancelled') && run.status === status) {
    return (
      <Alert variant={status === 'failed' ? 'destructive' : 'default'} data-testid="run-error">
        <AlertTitle>{status === 'failed' ? 'The run failed' : 'The run was cancelled'}</AlertTitle>
        <AlertDescription>
          {run.error ? <p>{run.error.message}</p> : null}
          {run.stopReason ? (
            <p>
              Stop reason: <code>{run.stopReason}</code>
            </p>
          ) : null}
          {canRetry && status === 'failed' ? (
            <p>Retry runs the failed steps again; the steps that succeeded are kept.</p>
          ) : null}
        </AlertDescription>
      </Alert>
    );
  }
  return null;
}

function StreamIndicator({ state, active }: { state: StreamState; active: boolean }) {
  if (!active) return <span>Finished</span>;
  const label =
    state === 'live'
      ? 'Live'
      : state === 'reconnecting'
        ? 'Reconnecting…'
        : state === 'connecting'
          ? 'Connecting…'
          : 'Not following';
  return (
    <span className="inline-flex items-center gap-2" data-testid="stream-state">
      <span
        aria-hidden="true"
        className={cn(
          'size-2 rounded-full',
          state === 'live' ? 'animate-pulse bg-brand motion-reduce:animate-none' : 'bg-warning',
        )}
      />
      {label}
    </span>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-3">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="text-right font-medium tabular-nums">{children}</dd>
    </div>
  );
}

function BudgetFacts({ budget }: { budget: RunWithSteps['budget'] }) {
  const entries = [
    budget.maxTokens === undefined ? null : ['Max tokens', formatCount(budget.maxTokens)],
    budget.maxCostMicros === undefined
      ? null
      : ['Max cost', formatCostMicros(budget.maxCostMicros)],
    budget.maxSteps === undefined ? null : ['Max steps', formatCount(budget.maxSteps)],
    budget.maxDurationMs === undefined
      ? null
      : ['Max duration', formatDuration(budget.maxDurationMs)],
  ].filter((entry): entry is [string, string] => entry !== null);
  return (
    <dl className="grid gap-3 rounded-xl border bg-card p-5 text-sm shadow-sm" aria-label="Budget">
      <p className="text-xs font-medium text-muted-foreground uppercase">Budget</p>
      {entries.length === 0 ? (
        <p className="text-muted-foreground">No limits beyond the server’s run time limit.</p>
      ) : (
        entries.map(([label, value]) => (
          <Fact key={label} label={label}>
            {value}
          </Fact>
        ))
      )}
    </dl>
  );
}
