'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { FormError } from '@/components/forms/form-error';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { SchedulesWarning } from '@/components/schedules/schedules-warning';
import { STRATEGY_LABELS, TeamForm } from '@/components/teams/team-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { useSchedulesStarting } from '@/hooks/use-schedules-starting';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import type { Agent, Team } from '@/lib/api/runtime-schemas';
import { createTeam, deleteTeam, listTeams, updateTeam } from '@/lib/api/teams';
import { formatDate } from '@/lib/format';

export function TeamsPage({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const { can } = useOrgRole(orgId);
  const teams = useQuery({
    queryKey: runtimeQueryKeys.teams(orgId),
    queryFn: () => listTeams(orgId),
  });
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.teams(orgId) });
  return (
    <OrgFrame
      orgId={orgId}
      title="Teams"
      description="Agents working together under a strategy. Members are pinned at their version when the team is saved."
    >
      <div className="grid grid-cols-1 gap-6">
        {teams.isPending ? (
          <div className="h-32 animate-pulse rounded-xl bg-muted" aria-label="Loading teams" />
        ) : teams.isError ? (
          <FormError message={describeError(teams.error)} />
        ) : teams.data.length === 0 ? (
          <p className="rounded-xl border border-dashed p-6 text-center text-sm text-muted-foreground">
            No teams yet.
          </p>
        ) : (
          <ul className="divide-y rounded-xl border bg-card shadow-sm" aria-label="Teams">
            {teams.data.map((team) => (
              <TeamItem
                key={team.id}
                orgId={orgId}
                team={team}
                agents={agents.data ?? []}
                canRun={can('run:create')}
                canWrite={can('agent:write') && agents.isSuccess}
                onChanged={refresh}
              />
            ))}
          </ul>
        )}
        {!can('agent:write') ? null : agents.isError ? (
          <FormError message={describeError(agents.error)} />
        ) : (
          <SettingsSection title="Create a team">
            {agents.isPending ? (
              <div className="h-48 animate-pulse rounded-lg bg-muted" aria-label="Loading agents" />
            ) : agents.data.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                A team is made of agents.{' '}
                <Link href={`/orgs/${orgId}/agents/new`} className="underline underline-offset-4">
                  Create an agent
                </Link>{' '}
                first.
              </p>
            ) : (
              <TeamForm
                agents={agents.data}
                onCreate={async (input) => {
                  await createTeam(orgId, input);
                  await refresh();
                }}
              />
            )}
          </SettingsSection>
        )}
      </div>
    </OrgFrame>
  );
}

function TeamItem({
  orgId,
  team,
  agents,
  canRun,
  canWrite,
  onChanged,
}: {
  orgId: string;
  team: Team;
  agents: Agent[];
  canRun: boolean;
  canWrite: boolean;
  onChanged: () => Promise<unknown>;
}) {
  const [isEditing, setIsEditing] = useState(false);
  const schedules = useSchedulesStarting(orgId, 'team', team.id);
  const nameOf = (agentId: string) =>
    agents.find((agent) => agent.id === agentId)?.name ?? 'Deleted agent';

  if (isEditing) {
    return (
      <li className="grid gap-4 p-4" aria-label={`Edit ${team.name}`}>
        <p className="font-medium">Edit “{team.name}”</p>
        <TeamForm
          agents={agents}
          team={team}
          onUpdate={async (input) => {
            await updateTeam(orgId, team.id, input);
            await onChanged();
            setIsEditing(false);
          }}
          onCancel={() => setIsEditing(false)}
        />
      </li>
    );
  }
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center" data-testid="team">
      <div className="min-w-0 flex-1 space-y-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{team.name}</span>
          <Badge variant="secondary">{STRATEGY_LABELS[team.strategy].label}</Badge>
          {team.requirePlanApproval ? <Badge variant="warning">Plans need approval</Badge> : null}
          <span className="text-xs text-muted-foreground">
            Created {formatDate(team.createdAt)}
          </span>
        </div>
        <div className="flex flex-wrap gap-1 text-xs">
          {team.planner ? (
            <Badge variant="outline">
              Planner: {nameOf(team.planner.agentId)} v{team.planner.version}
            </Badge>
          ) : null}
          {team.members.map((member) => (
            <Badge key={member.agentId} variant="outline">
              {nameOf(member.agentId)} v{member.version}
            </Badge>
          ))}
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        {canRun ? (
          <Button asChild variant="outline" size="sm">
            <Link href={`/orgs/${orgId}/runs/new?teamId=${team.id}`}>Run this team</Link>
          </Button>
        ) : null}
        {canWrite ? (
          <Button
            variant="outline"
            size="sm"
            aria-label={`Edit “${team.name}”`}
            onClick={() => setIsEditing(true)}
          >
            <Pencil aria-hidden="true" />
            Edit
          </Button>
        ) : null}
        {canWrite ? (
          <ConfirmDialog
            trigger={
              <Button
                variant="outline"
                size="sm"
                className="text-destructive"
                aria-label={`Delete “${team.name}”`}
              >
                <Trash2 aria-hidden="true" />
                Delete
              </Button>
            }
            title={`Delete “${team.name}”?`}
            description={
              <>
                New runs can no longer use it; runs already started keep their copy of the team.
                This cannot be undone.
                <SchedulesWarning orgId={orgId} schedules={schedules} />
              </>
            }
            confirmLabel="Delete team"
            destructive
            onConfirm={async () => {
              await deleteTeam(orgId, team.id);
              await onChanged();
            }}
          />
        ) : null}
      </div>
    </li>
  );
}
