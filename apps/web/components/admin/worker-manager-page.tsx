'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pause, Play, ShieldAlert } from 'lucide-react';
import Link from 'next/link';
import { FormError } from '@/components/forms/form-error';
import { PageShell, PageSkeleton, SettingsSection } from '@/components/page-shell';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { useRequireMe } from '@/hooks/use-me';
import {
  discardJob,
  listFailedJobs,
  listQueues,
  listWorkers,
  retryJob,
  setQueuePaused,
  type QueueInfo,
  type WorkerInfo,
} from '@/lib/api/admin';
import { describeError, isApiError } from '@/lib/api/api-error';
import { formatCount, formatDateTime, formatDuration } from '@/lib/format';

/** How often the page asks again: workers heartbeat every few seconds. */
const REFRESH_MS = 3_000;

const adminKeys = {
  queues: ['admin', 'queues'] as const,
  failedJobs: (queue: string) => ['admin', 'queues', queue, 'failed'] as const,
  workers: ['admin', 'workers'] as const,
};

export function WorkerManagerPage() {
  const me = useRequireMe();
  const isAdmin = me.data?.user.platformAdmin === true;
  const queues = useQuery({
    queryKey: adminKeys.queues,
    queryFn: () => listQueues(),
    enabled: isAdmin,
    refetchInterval: REFRESH_MS,
  });
  const workers = useQuery({
    queryKey: adminKeys.workers,
    queryFn: () => listWorkers(),
    enabled: isAdmin,
    refetchInterval: REFRESH_MS,
  });

  if (!me.data) return <PageSkeleton />;
  const refused = [queues.error, workers.error].some(
    (error) => isApiError(error) && error.status === 403,
  );
  if (!isAdmin || refused) return <NotAllowed />;

  const myOrgIds = new Set(me.data.memberships.map((membership) => membership.orgId));
  return (
    <PageShell
      wide
      title="Worker manager"
      description="Queues, failed jobs and the worker processes, across all organisations. Refreshes every few seconds."
    >
      <SettingsSection title="Queues">
        {queues.isPending ? (
          <div className="h-32 animate-pulse rounded-lg bg-muted" aria-label="Loading queues" />
        ) : queues.isError ? (
          <FormError message={describeError(queues.error)} />
        ) : (
          <QueuesTable queues={queues.data} />
        )}
      </SettingsSection>
      {queues.data
        ?.filter((queue) => queue.counts.failed > 0)
        .map((queue) => (
          <FailedJobs key={queue.name} queue={queue.name} />
        ))}
      <SettingsSection
        title="Workers"
        description="A worker is alive while its heartbeat is recent; a stopped one disappears shortly."
      >
        {workers.isPending ? (
          <div className="h-32 animate-pulse rounded-lg bg-muted" aria-label="Loading workers" />
        ) : workers.isError ? (
          <FormError message={describeError(workers.error)} />
        ) : workers.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No worker has reported in.</p>
        ) : (
          <WorkersTable workers={workers.data} myOrgIds={myOrgIds} now={workers.dataUpdatedAt} />
        )}
      </SettingsSection>
    </PageShell>
  );
}

function NotAllowed() {
  return (
    <PageShell title="Worker manager">
      <Alert variant="warning" data-testid="not-allowed">
        <ShieldAlert />
        <AlertTitle>Not allowed</AlertTitle>
        <AlertDescription>
          <p>
            The worker manager is for the operators of this Switchyard server (the addresses in its
            PLATFORM_ADMIN_EMAILS setting). Your account is not one of them.
          </p>
        </AlertDescription>
      </Alert>
      <Button asChild variant="outline">
        <Link href="/orgs">Back to your organisations</Link>
      </Button>
    </PageShell>
  );
}

const COUNT_COLUMNS = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'failed',
  'completed',
] as const;

function QueuesTable({ queues }: { queues: QueueInfo[] }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (queue: QueueInfo) => setQueuePaused(queue.name, !queue.paused),
    onSuccess: (updated) => {
      queryClient.setQueryData<QueueInfo[]>(adminKeys.queues, (old) =>
        old?.map((queue) => (queue.name === updated.name ? updated : queue)),
      );
    },
  });
  return (
    <div className="grid gap-3">
      <Table aria-label="Queues">
        <TableHeader>
          <TableRow>
            <TableHead>Queue</TableHead>
            {COUNT_COLUMNS.map((column) => (
              <TableHead key={column} className="text-right capitalize">
                {column}
              </TableHead>
            ))}
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {queues.map((queue) => (
            <TableRow key={queue.name} data-testid={`queue-${queue.name}`}>
              <TableCell>
                <span className="flex items-center gap-2 font-medium">
                  {queue.name}
                  {queue.paused ? <Badge variant="warning">Paused</Badge> : null}
                </span>
              </TableCell>
              {COUNT_COLUMNS.map((column) => (
                <TableCell
                  key={column}
                  className={
                    column === 'failed' && queue.counts.failed > 0
                      ? 'text-right font-medium text-destructive tabular-nums'
                      : 'text-right tabular-nums'
                  }
                >
                  {formatCount(queue.counts[column])}
                </TableCell>
              ))}
              <TableCell className="text-right">
                <Button
                  variant="outline"
                  size="sm"
                  disabled={toggle.isPending}
                  aria-label={`${queue.paused ? 'Resume' : 'Pause'} the ${queue.name} queue`}
                  onClick={() => toggle.mutate(queue)}
                >
                  {queue.paused ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
                  {queue.paused ? 'Resume' : 'Pause'}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <FormError message={toggle.isError ? describeError(toggle.error) : null} />
    </div>
  );
}

function FailedJobs({ queue }: { queue: string }) {
  const queryClient = useQueryClient();
  const jobs = useQuery({
    queryKey: adminKeys.failedJobs(queue),
    queryFn: () => listFailedJobs(queue),
    refetchInterval: REFRESH_MS,
  });
  const act = useMutation({
    mutationFn: ({ jobId, action }: { jobId: string; action: 'retry' | 'discard' }) =>
      action === 'retry' ? retryJob(queue, jobId) : discardJob(queue, jobId),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.queues });
    },
  });
  return (
    <SettingsSection
      title={`Failed jobs: ${queue}`}
      description={jobs.data ? `${formatCount(jobs.data.total)} failed, newest first.` : undefined}
    >
      {jobs.isPending ? (
        <div className="h-24 animate-pulse rounded-lg bg-muted" aria-label="Loading failed jobs" />
      ) : jobs.isError ? (
        <FormError message={describeError(jobs.error)} />
      ) : (
        <div className="grid gap-3">
          <FormError message={act.isError ? describeError(act.error) : null} />
          <ul className="grid gap-2" aria-label={`Failed jobs of ${queue}`}>
            {jobs.data.jobs.map((job) => (
              <li key={job.id} className="grid gap-2 rounded-lg border p-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <code className="text-xs">{job.id}</code>
                  <Badge variant="secondary">{job.name}</Badge>
                  <span className="text-xs text-muted-foreground">
                    {job.attemptsMade} attempt{job.attemptsMade === 1 ? '' : 's'} · failed{' '}
                    {formatDateTime(job.finishedAt)}
                  </span>
                  <span className="ml-auto flex gap-2">
                    <Button
                      size="sm"
                      variant="outline"
                      disabled={act.isPending}
                      onClick={() => act.mutate({ jobId: job.id, action: 'retry' })}
                    >
                      Retry
                    </Button>
                    <Button
                      size="sm"
                      variant="outline"
                      className="text-destructive"
                      disabled={act.isPending}
                      onClick={() => act.mutate({ jobId: job.id, action: 'discard' })}
                    >
                      Discard
                    </Button>
                  </span>
                </div>
                {job.failedReason ? (
                  <p className="break-words text-destructive">{job.failedReason}</p>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      )}
    </SettingsSection>
  );
}

function WorkersTable({
  workers,
  myOrgIds,
  now,
}: {
  workers: WorkerInfo[];
  myOrgIds: Set<string>;
  /** When the list was fetched: ages are shown as of then. */
  now: number;
}) {
  return (
    <Table aria-label="Workers">
      <TableHeader>
        <TableRow>
          <TableHead>Worker</TableHead>
          <TableHead>Heartbeat</TableHead>
          <TableHead className="hidden md:table-cell">Concurrency</TableHead>
          <TableHead>Current steps</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {workers.map((worker) => (
          <TableRow key={worker.id} data-testid="worker">
            <TableCell>
              <div className="grid">
                <span className="font-medium">
                  {worker.host} <span className="text-muted-foreground">pid {worker.pid}</span>
                </span>
                <code className="text-xs text-muted-foreground">{worker.id}</code>
                <span className="text-xs text-muted-foreground">
                  Up since {formatDateTime(worker.startedAt)}
                </span>
              </div>
            </TableCell>
            <TableCell>
              <div className="grid justify-items-start gap-1">
                <Badge variant={worker.alive ? 'success' : 'destructive'}>
                  {worker.alive ? 'Alive' : 'Not responding'}
                </Badge>
                <span className="text-xs text-muted-foreground">
                  {formatDuration(Math.max(0, now - new Date(worker.lastHeartbeatAt).getTime()))}{' '}
                  ago
                </span>
              </div>
            </TableCell>
            <TableCell className="hidden md:table-cell">
              <div className="flex flex-wrap gap-1">
                {Object.entries(worker.concurrency).map(([queue, slots]) => (
                  <Badge key={queue} variant="outline">
                    {queue}: {slots}
                  </Badge>
                ))}
              </div>
            </TableCell>
            <TableCell>
              {worker.currentSteps.length === 0 ? (
                <span className="text-muted-foreground">Idle</span>
              ) : (
                <ul className="grid gap-1 text-xs">
                  {worker.currentSteps.map((step) => (
                    <li key={step.stepId} className="font-mono">
                      {myOrgIds.has(step.orgId) ? (
                        <Link
                          href={`/orgs/${step.orgId}/runs/${step.runId}`}
                          className="underline underline-offset-4"
                        >
                          run {step.runId.slice(0, 8)}
                        </Link>
                      ) : (
                        <span title={`org ${step.orgId}`}>run {step.runId.slice(0, 8)}</span>
                      )}{' '}
                      <span className="text-muted-foreground">
                        step {step.stepId.slice(0, 8)} ·{' '}
                        {formatDuration(Math.max(0, now - new Date(step.startedAt).getTime()))}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
