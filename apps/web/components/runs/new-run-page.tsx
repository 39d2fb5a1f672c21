'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Eye } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FieldFrame } from '@/components/forms/field-frame';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { BudgetFields } from '@/components/runs/budget-fields';
import { PriorityField } from '@/components/runs/priority-field';
import { TargetOptions } from '@/components/runs/target-options';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import { createRun, type CreateRunInput } from '@/lib/api/runs';
import type { Role } from '@/lib/api/schemas';
import { listTeams } from '@/lib/api/teams';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import {
  BUDGET_FIELDS_BY_PATH,
  budgetFields,
  EMPTY_BUDGET,
  toBudgetInput,
} from '@/lib/runs/budget-input';
import { toPriorityInput } from '@/lib/runs/priority';
import { parseTargetValue, TARGET_VALUE_PATTERN } from '@/lib/runs/run-target';
import { roleLabel } from '@/lib/roles';

const newRunSchema = z.object({
  target: z.string().regex(TARGET_VALUE_PATTERN, 'Choose an agent or a team'),
  input: z.string().trim().min(1, 'Describe the task').max(100_000),
  /** `''` for the plan tier's default. */
  priority: z.string(),
  ...budgetFields,
});
type NewRunValues = z.infer<typeof newRunSchema>;

const FIELDS_BY_PATH = { target: 'target', ...BUDGET_FIELDS_BY_PATH } as const;

function toRunInput(values: NewRunValues): CreateRunInput | null {
  const target = parseTargetValue(values.target);
  if (!target) return null;
  return {
    target,
    input: values.input,
    budget: toBudgetInput(values),
    priority: toPriorityInput(values.priority),
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
  const { role, can } = useOrgRole(orgId);
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
    defaultValues: { target: initialTarget, input: '', priority: '', ...EMPTY_BUDGET },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const input = toRunInput(values);
    if (!input) return;
    try {
      const run = await createRun(orgId, input);
      await queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'runs', 'list'] });
      router.push(`/orgs/${orgId}/runs/${run.id}`);
    } catch (error) {
      applyApiError(form, error, { fieldsByPath: FIELDS_BY_PATH });
    }
  });

  // No form until the role is known: a viewer would see it flash in and out.
  const isLoading = agents.isPending || teams.isPending || role === null;
  const hasTargets = (agents.data?.length ?? 0) + (teams.data?.length ?? 0) > 0;
  if (role !== null && !can('run:create')) {
    return (
      <OrgFrame orgId={orgId} title="New run">
        <CannotStartRuns orgId={orgId} role={role} />
      </OrgFrame>
    );
  }
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
                  <TargetOptions agents={agents.data ?? []} teams={teams.data ?? []} />
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
            <PriorityField
              orgId={orgId}
              scheduled={false}
              className="sm:max-w-sm"
              registration={form.register('priority')}
              error={errors.priority?.message}
            />
            <BudgetFields
              register={(field) => form.register(field)}
              errors={{
                maxTokens: errors.maxTokens?.message,
                maxCostDollars: errors.maxCostDollars?.message,
                maxDurationMinutes: errors.maxDurationMinutes?.message,
              }}
            />
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

/** In place of the form for a role that may read runs but not start them (viewers). */
function CannotStartRuns({ orgId, role }: { orgId: string; role: Role }) {
  return (
    <>
      <Alert variant="warning" data-testid="read-only-note">
        <Eye />
        <AlertTitle>Your role cannot start runs</AlertTitle>
        <AlertDescription>
          <p>
            You are a {roleLabel(role).toLowerCase()} here: you can read the runs of this
            organisation and follow them live, and members can start new ones. Ask an admin for the
            member role to start runs yourself.
          </p>
        </AlertDescription>
      </Alert>
      <Button asChild variant="outline">
        <Link href={`/orgs/${orgId}/runs`}>See the runs</Link>
      </Button>
    </>
  );
}
