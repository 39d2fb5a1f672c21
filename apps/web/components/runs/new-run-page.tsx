'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FieldFrame } from '@/components/forms/field-frame';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import { createRun, type CreateRunInput, type RunBudgetInput } from '@/lib/api/runs';
import { listTeams } from '@/lib/api/teams';
import { applyApiError, readFormError } from '@/lib/apply-api-error';

/** An optional whole number typed into a text box: empty means "no limit". */
const optionalLimit = (message: string) =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || /^\d+(\.\d+)?$/.test(value), message);

const newRunSchema = z.object({
  target: z.string().regex(/^(agent|team):.+$/, 'Choose an agent or a team'),
  input: z.string().trim().min(1, 'Describe the task').max(100_000),
  maxTokens: optionalLimit('Enter a number of tokens, or leave it empty'),
  maxCostDollars: optionalLimit('Enter an amount in dollars, like 0.50, or leave it empty'),
  maxDurationMinutes: optionalLimit('Enter a number of minutes, or leave it empty'),
});
type NewRunValues = z.infer<typeof newRunSchema>;

function toRunInput(values: NewRunValues): CreateRunInput {
  const [kind, id = ''] = values.target.split(/:(.*)/s);
  const budget: RunBudgetInput = {};
  if (values.maxTokens) budget.maxTokens = Math.round(Number(values.maxTokens));
  if (values.maxCostDollars) budget.maxCostMicros = Math.round(Number(values.maxCostDollars) * 1e6);
  if (values.maxDurationMinutes) {
    budget.maxDurationMs = Math.round(Number(values.maxDurationMinutes) * 60_000);
  }
  return {
    target: kind === 'team' ? { kind: 'team', teamId: id } : { kind: 'agent', agentId: id },
    input: values.input,
    budget,
  };
}

export function NewRunPage({
  orgId,
  initialTarget,
}: {
  orgId: string;
  /** `agent:<id>` or `team:<id>` from the page's query string. */
  initialTarget: string;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
  const teams = useQuery({
    queryKey: runtimeQueryKeys.teams(orgId),
    queryFn: () => listTeams(orgId),
  });
  const form = useForm<NewRunValues>({
    resolver: zodResolver(newRunSchema),
    defaultValues: {
      target: initialTarget,
      input: '',
      maxTokens: '',
      maxCostDollars: '',
      maxDurationMinutes: '',
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    try {
      const run = await createRun(orgId, toRunInput(values));
      await queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'runs', 'list'] });
      router.push(`/orgs/${orgId}/runs/${run.id}`);
    } catch (error) {
      // Budget problems (`budget.*`) have no field of that name: they show above the button.
      applyApiError(form, error);
    }
  });

  const isLoading = agents.isPending || teams.isPending;
  const hasTargets = (agents.data?.length ?? 0) + (teams.data?.length ?? 0) > 0;
  return (
    <OrgFrame orgId={orgId} title="New run">
      <SettingsSection
        title="Task"
        description="The run is queued at once; the workers execute it and you can watch it live."
      >
        {isLoading ? (
          <div className="h-64 animate-pulse rounded-lg bg-muted" aria-label="Loading agents" />
        ) : agents.isError || teams.isError ? (
          <FormError message={describeError(agents.error ?? teams.error)} />
        ) : !hasTargets ? (
          <p className="text-sm text-muted-foreground">
            A run needs an agent or a team.{' '}
            <Link href={`/orgs/${orgId}/agents/new`} className="underline underline-offset-4">
              Create an agent
            </Link>{' '}
            first.
          </p>
        ) : (
          <form noValidate className="grid gap-5" onSubmit={(event) => void submit(event)}>
            <FieldFrame
              label="Agent or team"
              error={errors.target?.message}
              className="sm:max-w-md"
            >
              {(control) => (
                <NativeSelect {...control} {...form.register('target')}>
                  <option value="">Choose…</option>
                  {agents.data?.length ? (
                    <optgroup label="Agents">
                      {agents.data.map((agent) => (
                        <option key={agent.id} value={`agent:${agent.id}`}>
                          {agent.name} (v{agent.currentVersion}
                          {agent.definition.provider === 'scripted' ? ', scripted' : ''})
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  {teams.data?.length ? (
                    <optgroup label="Teams">
                      {teams.data.map((team) => (
                        <option key={team.id} value={`team:${team.id}`}>
                          {team.name} ({team.strategy})
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                </NativeSelect>
              )}
            </FieldFrame>
            <FieldFrame
              label="Task"
              hint="With the scripted model, mention a tool to see it called: “What is 6 * 7?”, “ask a human …”."
              error={errors.input?.message}
            >
              {(control) => <Textarea rows={4} {...control} {...form.register('input')} />}
            </FieldFrame>
            <fieldset className="grid gap-3">
              <legend className="mb-1 text-sm font-medium">Budget (optional)</legend>
              <p className="text-xs text-muted-foreground">
                A model call that would cross a limit is not made: the run stops and keeps what it
                did so far.
              </p>
              <div className="grid items-start gap-4 sm:grid-cols-3">
                <TextField
                  label="Max tokens"
                  inputMode="numeric"
                  placeholder="No limit"
                  error={errors.maxTokens?.message}
                  {...form.register('maxTokens')}
                />
                <TextField
                  label="Max cost (USD)"
                  inputMode="decimal"
                  placeholder="No limit"
                  error={errors.maxCostDollars?.message}
                  {...form.register('maxCostDollars')}
                />
                <TextField
                  label="Max duration (minutes)"
                  inputMode="numeric"
                  placeholder="Server default"
                  error={errors.maxDurationMinutes?.message}
                  {...form.register('maxDurationMinutes')}
                />
              </div>
            </fieldset>
            <FormError message={readFormError(form)} />
            <SubmitButton
              className="justify-self-start"
              isPending={isSubmitting}
              pendingLabel="Starting…"
            >
              Start run
            </SubmitButton>
          </form>
        )}
      </SettingsSection>
    </OrgFrame>
  );
}
