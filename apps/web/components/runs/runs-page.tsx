'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import Link from 'next/link';
import { useId, useState } from 'react';
import { FormError } from '@/components/forms/form-error';
import { LoadMoreButton } from '@/components/load-more-button';
import { OrgFrame } from '@/components/orgs/org-frame';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { useTargetNames } from '@/hooks/use-target-names';
import { describeError } from '@/lib/api/api-error';
import { listRuns } from '@/lib/api/runs';
import { RUN_STATUSES, type Run, type RunStatus } from '@/lib/api/runtime-schemas';
import { formatCostMicros, formatCount, formatDateTime, formatElapsed } from '@/lib/format';
import { isRunActive, runStatusLabel } from '@/lib/runs/run-status';

const PAGE_SIZE = 20;
/** While a run on screen is active, the list refreshes this often. */
const ACTIVE_REFRESH_MS = 5_000;

export function RunsPage({ orgId }: { orgId: string }) {
  const filterId = useId();
  const [status, setStatus] = useState<RunStatus | 'all'>('all');
  const runs = useInfiniteQuery({
    queryKey: runtimeQueryKeys.runs(orgId, status),
    queryFn: ({ pageParam }) =>
      listRuns(orgId, {
        status: status === 'all' ? undefined : status,
        cursor: pageParam,
        limit: PAGE_SIZE,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.runs.some((run) => isRunActive(run.status)))
        ? ACTIVE_REFRESH_MS
        : false,
  });
  const names = useTargetNames(orgId);
  const canCreate = useOrgRole(orgId).can('run:create');
  const items = runs.data?.pages.flatMap((page) => page.runs) ?? [];

  return (
    <OrgFrame
      orgId={orgId}
      wide
      title="Runs"
      description="Tasks given to an agent or a team. Open one to watch it live."
      actions={
        canCreate ? (
          <Button asChild>
            <Link href={`/orgs/${orgId}/runs/new`}>
              <Plus aria-hidden="true" />
              New run
            </Link>
          </Button>
        ) : null
      }
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-2">
          <Label htmlFor={filterId}>Status</Label>
          <NativeSelect
            id={filterId}
            className="w-56"
            value={status}
            onChange={(event) => {
              const next = RUN_STATUSES.find((entry) => entry === event.target.value);
              setStatus(next ?? 'all');
            }}
          >
            <option value="all">All statuses</option>
            {RUN_STATUSES.map((entry) => (
              <option key={entry} value={entry}>
                {runStatusLabel(entry)}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>
      {runs.isPending ? (
        <div className="h-48 animate-pulse rounded-xl bg-muted" aria-label="Loading runs" />
      ) : runs.isError ? (
        <FormError message={describeError(runs.error)} />
      ) : items.length === 0 ? (
        <p className="rounded-xl border border-dashed p-8 text-center text-sm text-muted-foreground">
          {status === 'all'
            ? `No runs yet.${canCreate ? ' Start one with “New run”.' : ''}`
            : `No ${runStatusLabel(status).toLowerCase()} runs.`}
        </p>
      ) : (
        <div className="grid gap-4">
          <div className="rounded-xl border bg-card shadow-sm">
            <Table aria-label="Runs" aria-busy={runs.isFetching}>
              <TableHeader>
                <TableRow>
                  <TableHead>Task</TableHead>
                  <TableHead className="hidden md:table-cell">Target</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="hidden lg:table-cell">Tokens</TableHead>
                  <TableHead className="hidden lg:table-cell">Cost</TableHead>
                  <TableHead className="hidden sm:table-cell">Started</TableHead>
                  <TableHead className="hidden md:table-cell">Duration</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((run) => (
                  <RunRow key={run.id} orgId={orgId} run={run} names={names} />
                ))}
              </TableBody>
            </Table>
          </div>
          <LoadMoreButton query={runs} />
        </div>
      )}
    </OrgFrame>
  );
}

function RunRow({
  orgId,
  run,
  names,
}: {
  orgId: string;
  run: Run;
  names: (target: Run['target']) => string;
}) {
  return (
    <TableRow>
      <TableCell className="max-w-80">
        <Link
          href={`/orgs/${orgId}/runs/${run.id}`}
          className="line-clamp-2 font-medium break-words underline-offset-4 hover:underline"
        >
          {run.input}
        </Link>
      </TableCell>
      <TableCell className="hidden text-muted-foreground md:table-cell">
        {names(run.target)}
      </TableCell>
      <TableCell>
        <RunStatusBadge status={run.status} />
      </TableCell>
      <TableCell className="hidden tabular-nums lg:table-cell">
        {formatCount(run.usage.inputTokens + run.usage.outputTokens)}
      </TableCell>
      <TableCell className="hidden tabular-nums lg:table-cell">
        {formatCostMicros(run.usage.costMicros)}
      </TableCell>
      <TableCell className="hidden whitespace-nowrap text-muted-foreground sm:table-cell">
        {formatDateTime(run.createdAt)}
      </TableCell>
      <TableCell className="hidden whitespace-nowrap text-muted-foreground md:table-cell">
        {run.startedAt ? formatElapsed(run.startedAt, run.finishedAt) : '—'}
      </TableCell>
    </TableRow>
  );
}
