'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useId } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { FieldFrame } from '@/components/forms/field-frame';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import {
  TEAM_STRATEGIES,
  type Agent,
  type Team,
  type TeamStrategy,
} from '@/lib/api/runtime-schemas';
import type { TeamInput, TeamUpdateInput } from '@/lib/api/teams';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import {
  buildTeamUpdate,
  findDeletedAgents,
  NEW_TEAM_VALUES,
  teamFormValues,
  toTeamInput,
  type TeamFormValues,
} from '@/lib/teams/team-input';

export const STRATEGY_LABELS: Record<TeamStrategy, { label: string; hint: string }> = {
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

const teamFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the team').max(100),
    strategy: z.enum(TEAM_STRATEGIES),
    plannerId: z.string(),
    memberIds: z.array(z.string()).min(1, 'Pick at least one member'),
    requirePlanApproval: z.boolean(),
    repin: z.boolean(),
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
  }) satisfies z.ZodType<TeamFormValues>;

const FIELDS_BY_PATH = { planner: 'plannerId', members: 'memberIds' } as const;

type MemberOption = { id: string; name: string; pinned: number | null; current: number | null };

/**
 * Creates a team (`team` absent) or edits one. An edit sends only what changed, and members that
 * stay keep their pinned version unless the user asks for the newest ones.
 */
export function TeamForm({
  agents,
  team,
  onCreate,
  onUpdate,
  onCancel,
}: {
  /** The org's live agents. */
  agents: Agent[];
  team?: Team;
  onCreate?: (input: TeamInput) => Promise<unknown>;
  onUpdate?: (input: TeamUpdateInput) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const membersErrorId = useId();
  const form = useForm<TeamFormValues>({
    resolver: zodResolver(teamFormSchema),
    defaultValues: team ? teamFormValues(team) : NEW_TEAM_VALUES,
  });
  const { errors, isSubmitting } = form.formState;
  const strategy = useWatch({ control: form.control, name: 'strategy' });
  const liveIds = new Set(agents.map((agent) => agent.id));
  const options = memberOptions(agents, team);
  const plannerOptions =
    team?.planner && !liveIds.has(team.planner.agentId)
      ? [...agents.map(toOption), deletedOption(team.planner)]
      : agents.map(toOption);
  const hasNewerVersions = options.some(
    (option) => option.pinned !== null && option.current !== null && option.current > option.pinned,
  );

  const submit = form.handleSubmit(async (values) => {
    try {
      if (!team) {
        await onCreate?.(toTeamInput(values));
        form.reset(NEW_TEAM_VALUES);
        return;
      }
      const update = buildTeamUpdate(team, values);
      if (!update) {
        form.setError('root.server', { type: 'server', message: 'Nothing changed.' });
        return;
      }
      const deleted = findDeletedAgents(update, liveIds);
      if (deleted.planner) {
        form.setError('plannerId', { message: 'This agent was deleted: choose another planner' });
      }
      if (deleted.members.length > 0) {
        form.setError('memberIds', {
          message: 'Uncheck the deleted agents: a team can only take agents that still exist',
        });
      }
      if (deleted.planner || deleted.members.length > 0) return;
      await onUpdate?.(update);
    } catch (error) {
      applyApiError(form, error, { fieldsByPath: FIELDS_BY_PATH });
    }
  });

  return (
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
              {plannerOptions.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                  {team?.planner?.agentId === option.id ? ` (v${team.planner.version})` : ''}
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
        aria-describedby={errors.memberIds ? membersErrorId : undefined}
      >
        <legend className="mb-2 text-sm font-medium">
          Members{strategy === 'sequential' ? ' (they work in the order listed)' : ''}
        </legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {options.map((option) => (
            <label key={option.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                value={option.id}
                className="size-4 accent-primary"
                {...form.register('memberIds')}
              />
              <span>
                {option.name} <MemberVersion option={option} />
              </span>
            </label>
          ))}
        </div>
        {errors.memberIds?.message ? (
          <p id={membersErrorId} className="text-sm text-destructive">
            {errors.memberIds.message}
          </p>
        ) : null}
      </fieldset>
      {team && hasNewerVersions ? (
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-primary"
            {...form.register('repin')}
          />
          <span>
            Move members and the planner to their newest versions
            <span className="block text-xs text-muted-foreground">
              Otherwise each keeps the version it was pinned at when the team was saved.
            </span>
          </span>
        </label>
      ) : null}
      <FormError message={readFormError(form)} />
      <div className="flex flex-wrap gap-2">
        <SubmitButton isPending={isSubmitting} pendingLabel={team ? 'Saving…' : 'Creating…'}>
          {team ? 'Save changes' : 'Create team'}
        </SubmitButton>
        {onCancel ? (
          <Button type="button" variant="outline" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function MemberVersion({ option }: { option: MemberOption }) {
  if (option.pinned === null) {
    return <span className="text-xs text-muted-foreground">v{option.current}</span>;
  }
  return (
    <span className="text-xs text-muted-foreground">
      v{option.pinned}
      {option.current === null
        ? ' (deleted)'
        : option.current > option.pinned
          ? ` (v${option.current} available)`
          : ''}
    </span>
  );
}

const toOption = (agent: Agent): MemberOption => ({
  id: agent.id,
  name: agent.name,
  pinned: null,
  current: agent.currentVersion,
});

const deletedOption = (member: { agentId: string; version: number }): MemberOption => ({
  id: member.agentId,
  name: 'Deleted agent',
  pinned: member.version,
  current: null,
});

/** The team's members first, in their order (deleted ones included), then the other agents. */
function memberOptions(agents: Agent[], team: Team | undefined): MemberOption[] {
  if (!team) return agents.map(toOption);
  const members = team.members.map((member) => {
    const agent = agents.find((entry) => entry.id === member.agentId);
    return agent ? { ...toOption(agent), pinned: member.version } : deletedOption(member);
  });
  const memberIds = new Set(team.members.map((member) => member.agentId));
  return [...members, ...agents.filter((agent) => !memberIds.has(agent.id)).map(toOption)];
}
