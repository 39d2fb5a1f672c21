'use client';

import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import { CalendarClock, Pause, Play, Plus, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { FormError } from '@/components/forms/form-error';
import { LoadMoreButton } from '@/components/load-more-button';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { EditScheduleDialog } from '@/components/schedules/edit-schedule-dialog';
import { ScheduleForm } from '@/components/schedules/schedule-form';
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
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import type { Agent, Schedule, Team } from '@/lib/api/runtime-schemas';
import { deleteSchedule, listSchedules, pauseSchedule, resumeSchedule } from '@/lib/api/schedules';
import { listTeams } from '@/lib/api/teams';
import { formatCount, formatDateTime, formatDateTimeIn } from '@/lib/format';
import { roleLabel } from '@/lib/roles';
import { scheduleListRefreshMs } from '@/lib/schedules/list-refresh';

const PAGE_SIZE = 50;

type SchedulePage = Awaited<ReturnType<typeof listSchedules>>;
type TargetLink = { label: string; href: string | null; isDeleted?: boolean };

export function SchedulesPage({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const { role, can } = useOrgRole(orgId);
  const canWrite = can('schedule:write');
  const listKey = runtimeQueryKeys.scheduleList(orgId);
  const schedules = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) => listSchedules(orgId, { cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) =>
      scheduleListRefreshMs(
        query.state.data?.pages.flatMap((page) => page.schedules.map((entry) => entry.nextRunAt)) ??
          [],
        Date.now(),
      ),
  });
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
  const teams = useQuery({
    queryKey: runtimeQueryKeys.teams(orgId),
    queryFn: () => listTeams(orgId),
  });
  /** Shows a schedule as the api answered it after a change, before the list is fetched again. */
  const showUpdated = (updated: Schedule) =>
    queryClient.setQueryData<InfiniteData<SchedulePage>>(
      listKey,
      (old) =>
        old && {
          ...old,
          pages: old.pages.map((page) => ({
            ...page,
            schedules: page.schedules.map((entry) => (entry.id === updated.id ? updated : entry)),
          })),
        },
    );
  const togglePaused = useMutation({
    mutationFn: (schedule: Schedule) =>
      schedule.paused ? resumeSchedule(orgId, schedule.id) : pauseSchedule(orgId, schedule.id),
    // A list fetch already under way would land after the change and undo it on screen.
    onMutate: () => queryClient.cancelQueries({ queryKey: listKey }),
    onSuccess: showUpdated,
    onSettled: () => queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.schedules(orgId) }),
  });
  const afterEdit = async (updated: Schedule) => {
    await queryClient.cancelQueries({ queryKey: listKey });
    showUpdated(updated);
    await queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.schedules(orgId) });
  };
  // Editing offers the org's agents and teams, so it waits for both.
  const targets =
    agents.isSuccess && teams.isSuccess ? { agents: agents.data, teams: teams.data } : null;
  const items = schedules.data?.pages.flatMap((page) => page.schedules) ?? [];

  const targetOf = (schedule: Schedule): TargetLink => {
    if (schedule.target.kind === 'agent') {
      const agent = agents.data?.find((entry) => entry.id === schedule.target.id);
      if (agent) return { label: agent.name, href: `/orgs/${orgId}/agents/${agent.id}` };
      return agents.data
        ? { label: 'Deleted agent', href: null, isDeleted: true }
        : { label: 'Agent', href: null };
    }
    const team = teams.data?.find((entry) => entry.id === schedule.target.id);
    if (team) return { label: `${team.name} (team)`, href: `/orgs/${orgId}/teams` };
    return teams.data
      ? { label: 'Deleted team', href: null, isDeleted: true }
      : { label: 'Team', href: null };
  };

  return (
    <OrgFrame
      orgId={orgId}
      wide
      title="Schedules"
      description="Runs of an agent or a team started on a cron pattern, as the person who created the schedule."
      actions={
        canWrite ? (
          <Button asChild>
            <a href="#new-schedule">
              <Plus aria-hidden="true" />
              New schedule
            </a>
          </Button>
        ) : null
      }
    >
      {schedules.isPending ? (
        <div className="h-40 animate-pulse rounded-xl bg-muted" aria-label="Loading schedules" />
      ) : schedules.isError ? (
        <FormError message={describeError(schedules.error)} />
      ) : items.length === 0 ? (
        <div className="grid justify-items-center gap-3 rounded-xl border border-dashed p-10 text-center">
          <CalendarClock className="size-8 text-muted-foreground" aria-hidden="true" />
          <p className="font-medium">No schedules yet</p>
          <p className="max-w-md text-sm text-muted-foreground">
            Start an agent or a team every hour, every weekday morning, or on any cron pattern.
          </p>
          {canWrite ? (
            <Button asChild variant="outline">
              <a href="#new-schedule">Create a schedule</a>
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="grid gap-4">
          {togglePaused.isError ? (
            <FormError
              message={`Could not ${togglePaused.variables.paused ? 'resume' : 'pause'} “${togglePaused.variables.name}”: ${describeError(togglePaused.error)}`}
            />
          ) : null}
          {/* min-w-0: on a phone the table scrolls sideways in its card, not the whole page. */}
          <div className="min-w-0 rounded-xl border bg-card shadow-sm">
            <Table aria-label="Schedules">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="hidden md:table-cell">Starts</TableHead>
                  <TableHead className="hidden sm:table-cell">Pattern</TableHead>
                  <TableHead>Next run</TableHead>
                  <TableHead className="hidden lg:table-cell">Last run</TableHead>
                  <TableHead>Status</TableHead>
                  {canWrite ? (
                    <TableHead className="text-right">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  ) : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((schedule) => (
                  <ScheduleRow
                    key={schedule.id}
                    orgId={orgId}
                    schedule={schedule}
                    target={targetOf(schedule)}
                    canWrite={canWrite}
                    targets={targets}
                    isToggling={togglePaused.isPending && togglePaused.variables.id === schedule.id}
                    onTogglePaused={() => togglePaused.mutate(schedule)}
                    onUpdated={afterEdit}
                  />
                ))}
              </TableBody>
            </Table>
          </div>
          <LoadMoreButton query={schedules} />
        </div>
      )}
      {canWrite ? (
        <SettingsSection
          id="new-schedule"
          title="Create a schedule"
          description="Each time the pattern fires, a run starts with this task, priority and budget."
        >
          {agents.isPending || teams.isPending ? (
            <div className="h-64 animate-pulse rounded-lg bg-muted" aria-label="Loading agents" />
          ) : agents.isError || teams.isError ? (
            <FormError message={describeError(agents.error ?? teams.error)} />
          ) : (
            <ScheduleForm orgId={orgId} agents={agents.data} teams={teams.data} />
          )}
        </SettingsSection>
      ) : role ? (
        <p className="text-sm text-muted-foreground" data-testid="read-only-note">
          You are a {roleLabel(role).toLowerCase()} here: you can see the schedules, and members can
          create, edit, pause and delete them.
        </p>
      ) : null}
    </OrgFrame>
  );
}

function ScheduleRow({
  orgId,
  schedule,
  target,
  canWrite,
  targets,
  isToggling,
  onTogglePaused,
  onUpdated,
}: {
  orgId: string;
  schedule: Schedule;
  target: TargetLink;
  canWrite: boolean;
  /** The agents and teams an edit may choose from; null while they load. */
  targets: { agents: Agent[]; teams: Team[] } | null;
  isToggling: boolean;
  onTogglePaused: () => void;
  onUpdated: (schedule: Schedule) => Promise<unknown>;
}) {
  const queryClient = useQueryClient();
  const { budget, priority } = schedule.target;
  return (
    <TableRow data-testid="schedule" data-schedule-name={schedule.name}>
      <TableCell className="max-w-72">
        <div className="grid gap-1">
          <span className="font-medium break-words">{schedule.name}</span>
          <span className="line-clamp-1 text-xs break-words text-muted-foreground">
            {schedule.target.input}
          </span>
          <code className="text-xs sm:hidden">
            {schedule.cron} ({schedule.timezone})
          </code>
          {priority !== undefined || budget?.maxTokens || budget?.maxCostMicros ? (
            <span className="flex flex-wrap gap-1">
              {priority !== undefined ? <Badge variant="outline">Priority {priority}</Badge> : null}
              {budget?.maxTokens ? (
                <Badge variant="outline">≤ {formatCount(budget.maxTokens)} tokens</Badge>
              ) : null}
              {budget?.maxCostMicros ? (
                <Badge variant="outline">≤ ${(budget.maxCostMicros / 1e6).toFixed(2)}</Badge>
              ) : null}
            </span>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="hidden md:table-cell">
        {target.href ? (
          <Link href={target.href} className="underline-offset-4 hover:underline">
            {target.label}
          </Link>
        ) : target.isDeleted ? (
          <span className="text-warning" title="Its runs fail until the schedule is deleted.">
            {target.label}
          </span>
        ) : (
          <span className="text-muted-foreground">{target.label}</span>
        )}
      </TableCell>
      <TableCell className="hidden sm:table-cell">
        <code className="text-xs">{schedule.cron}</code>
        <span className="block text-xs text-muted-foreground">{schedule.timezone}</span>
      </TableCell>
      <TableCell className="whitespace-nowrap" data-testid="schedule-next-run">
        {schedule.paused ? (
          <span
            className="whitespace-normal text-muted-foreground"
            title="It starts no run until resumed."
          >
            None while paused
          </span>
        ) : schedule.nextRunAt ? (
          <time
            dateTime={schedule.nextRunAt}
            title={`${formatDateTimeIn(new Date(schedule.nextRunAt), schedule.timezone)} (${schedule.timezone})`}
          >
            {formatDateTime(schedule.nextRunAt)}
          </time>
        ) : (
          <span
            className="text-muted-foreground"
            title="The api found no next run for its pattern."
          >
            —
          </span>
        )}
      </TableCell>
      <TableCell className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">
        {schedule.lastRunAt ? formatDateTime(schedule.lastRunAt) : 'Never'}
      </TableCell>
      <TableCell>
        {schedule.paused ? (
          <Badge variant="secondary">Paused</Badge>
        ) : (
          <Badge variant="success">Active</Badge>
        )}
      </TableCell>
      {canWrite ? (
        <TableCell>
          <div className="flex flex-wrap justify-end gap-2">
            {targets ? (
              <EditScheduleDialog
                orgId={orgId}
                schedule={schedule}
                agents={targets.agents}
                teams={targets.teams}
                onUpdated={onUpdated}
              />
            ) : null}
            <Button
              variant="outline"
              size="sm"
              disabled={isToggling}
              aria-label={`${schedule.paused ? 'Resume' : 'Pause'} “${schedule.name}”`}
              onClick={onTogglePaused}
            >
              {schedule.paused ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
              <span className="hidden sm:inline">{schedule.paused ? 'Resume' : 'Pause'}</span>
            </Button>
            <ConfirmDialog
              trigger={
                <Button
                  variant="outline"
                  size="sm"
                  className="text-destructive"
                  aria-label={`Delete “${schedule.name}”`}
                >
                  <Trash2 aria-hidden="true" />
                  <span className="hidden sm:inline">Delete</span>
                </Button>
              }
              title={`Delete “${schedule.name}”?`}
              description="It starts no more runs. Runs it already started are kept. This cannot be undone."
              confirmLabel="Delete schedule"
              destructive
              onConfirm={async () => {
                await deleteSchedule(orgId, schedule.id);
                await queryClient.invalidateQueries({
                  queryKey: runtimeQueryKeys.schedules(orgId),
                });
              }}
            />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
