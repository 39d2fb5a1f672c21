'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { FieldFrame } from '@/components/forms/field-frame';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import {
  TEAM_STRATEGIES,
  type Agent,
  type Team,
  type TeamStrategy,
} from '@/lib/api/runtime-schemas';
import { createTeam, listTeams } from '@/lib/api/teams';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { formatDate } from '@/lib/format';

const STRATEGY_LABELS: Record<TeamStrategy, { label: string; hint: string }> = {
  supervisor: {
    label: 'Supervisor',
    hint: 'A planner splits the task into subtasks for the members, runs them in parallel where it can, then writes the answer.',
  },
  sequential: {
    label: 'Sequential',
    hint: 'The members work one after another, each given the task and the previous output.',
  },
  handoff: {
    label: 'Handoff',
    hint: 'The first member works on the task and may hand control to another member.',
  },
};

export function TeamsPage({ orgId }: { orgId: string }) {
  const teams = useQuery({
    queryKey: runtimeQueryKeys.teams(orgId),
    queryFn: () => listTeams(orgId),
  });
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
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
              <TeamItem key={team.id} orgId={orgId} team={team} agents={agents.data ?? []} />
            ))}
          </ul>
        )}
        {agents.isError ? (
          <FormError message={describeError(agents.error)} />
        ) : (
          <CreateTeamForm orgId={orgId} agents={agents.data ?? []} />
        )}
      </div>
    </OrgFrame>
  );
}

function TeamItem({ orgId, team, agents }: { orgId: string; team: Team; agents: Agent[] }) {
  const nameOf = (agentId: string) =>
    agents.find((agent) => agent.id === agentId)?.name ?? 'Deleted agent';
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center">
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
      <Button asChild variant="outline" size="sm">
        <Link href={`/orgs/${orgId}/runs/new?teamId=${team.id}`}>Run this team</Link>
      </Button>
    </li>
  );
}

const createTeamSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the team').max(100),
    strategy: z.enum(TEAM_STRATEGIES),
    plannerId: z.string(),
    memberIds: z.array(z.string()).min(1, 'Pick at least one member'),
    requirePlanApproval: z.boolean(),
  })
  .superRefine((values, context) => {
    if (values.strategy === 'supervisor' && !values.plannerId) {
      context.addIssue({ code: 'custom', path: ['plannerId'], message: 'Pick the planner' });
    }
    if (values.strategy === 'handoff' && values.memberIds.length < 2) {
      context.addIssue({
        code: 'custom',
        path: ['memberIds'],
        message: 'A handoff team needs at least two members',
      });
    }
  });
type CreateTeamValues = z.infer<typeof createTeamSchema>;

function CreateTeamForm({ orgId, agents }: { orgId: string; agents: Agent[] }) {
  const queryClient = useQueryClient();
  const form = useForm<CreateTeamValues>({
    resolver: zodResolver(createTeamSchema),
    defaultValues: {
      name: '',
      strategy: 'supervisor',
      plannerId: '',
      memberIds: [],
      requirePlanApproval: false,
    },
  });
  const { errors, isSubmitting } = form.formState;
  const strategy = useWatch({ control: form.control, name: 'strategy' });
  const submit = form.handleSubmit(async (values) => {
    try {
      await createTeam(orgId, {
        name: values.name,
        strategy: values.strategy,
        planner:
          values.strategy === 'supervisor' && values.plannerId
            ? { agentId: values.plannerId }
            : null,
        members: values.memberIds.map((agentId) => ({ agentId })),
        requirePlanApproval: values.strategy === 'supervisor' && values.requirePlanApproval,
      });
      form.reset();
      await queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.teams(orgId) });
    } catch (error) {
      applyApiError(form, error);
    }
  });

  if (agents.length === 0) {
    return (
      <SettingsSection title="Create a team">
        <p className="text-sm text-muted-foreground">
          A team is made of agents.{' '}
          <Link href={`/orgs/${orgId}/agents/new`} className="underline underline-offset-4">
            Create an agent
          </Link>{' '}
          first.
        </p>
      </SettingsSection>
    );
  }
  return (
    <SettingsSection title="Create a team">
      <form noValidate className="grid gap-5" onSubmit={(event) => void submit(event)}>
        <div className="grid items-start gap-5 sm:grid-cols-2">
          <TextField label="Team name" error={errors.name?.message} {...form.register('name')} />
          <FieldFrame
            label="Strategy"
            hint={STRATEGY_LABELS[strategy].hint}
            error={errors.strategy?.message}
          >
            {(control) => (
              <NativeSelect {...control} {...form.register('strategy')}>
                {TEAM_STRATEGIES.map((entry) => (
                  <option key={entry} value={entry}>
                    {STRATEGY_LABELS[entry].label}
                  </option>
                ))}
              </NativeSelect>
            )}
          </FieldFrame>
        </div>
        {strategy === 'supervisor' ? (
          <FieldFrame
            label="Planner"
            hint="Plans the subtasks and writes the final answer."
            error={errors.plannerId?.message}
            className="sm:max-w-sm"
          >
            {(control) => (
              <NativeSelect {...control} {...form.register('plannerId')}>
                <option value="">Choose an agent…</option>
                {agents.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                  </option>
                ))}
              </NativeSelect>
            )}
          </FieldFrame>
        ) : null}
        {strategy === 'supervisor' ? (
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-primary"
              {...form.register('requirePlanApproval')}
            />
            <span>
              Require approval of each plan
              <span className="block text-xs text-muted-foreground">
                No subtask starts until a person approves the plan (and may reword its tasks).
              </span>
            </span>
          </label>
        ) : null}
        <fieldset
          className="grid gap-2"
          aria-describedby={errors.memberIds ? 'team-members-error' : undefined}
        >
          <legend className="mb-2 text-sm font-medium">
            Members{strategy === 'sequential' ? ' (they work in the order listed)' : ''}
          </legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {agents.map((agent) => (
              <label key={agent.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  value={agent.id}
                  className="size-4 accent-primary"
                  {...form.register('memberIds')}
                />
                <span>
                  {agent.name}{' '}
                  <span className="text-xs text-muted-foreground">v{agent.currentVersion}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.memberIds?.message ? (
            <p id="team-members-error" className="text-sm text-destructive">
              {errors.memberIds.message}
            </p>
          ) : null}
        </fieldset>
        <FormError message={readFormError(form)} />
        <SubmitButton
          className="justify-self-start"
          isPending={isSubmitting}
          pendingLabel="Creating…"
        >
          Create team
        </SubmitButton>
      </form>
    </SettingsSection>
  );
}
