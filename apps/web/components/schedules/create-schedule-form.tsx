'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { CircleCheck } from 'lucide-react';
import Link from 'next/link';
import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { FieldFrame } from '@/components/forms/field-frame';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { BudgetFields } from '@/components/runs/budget-fields';
import { PriorityField } from '@/components/runs/priority-field';
import { TargetOptions } from '@/components/runs/target-options';
import { CronField } from '@/components/schedules/cron-field';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import type { Agent, Team } from '@/lib/api/runtime-schemas';
import { createSchedule } from '@/lib/api/schedules';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import {
  BUDGET_FIELDS_BY_PATH,
  budgetFields,
  EMPTY_BUDGET,
  toBudgetInput,
} from '@/lib/runs/budget-input';
import { toPriorityInput } from '@/lib/runs/priority';
import { parseTargetValue, TARGET_VALUE_PATTERN } from '@/lib/runs/run-target';
import { isTimeZone, previewCron } from '@/lib/schedules/cron';

const createScheduleFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the schedule, e.g. "Morning report"').max(100),
    target: z.string().regex(TARGET_VALUE_PATTERN, 'Choose an agent or a team'),
    input: z.string().trim().min(1, 'Describe the task each run gets').max(100_000),
    cron: z.string().trim().min(1, 'Enter a cron pattern, or pick a preset').max(200),
    timezone: z
      .string()
      .trim()
      .refine(isTimeZone, 'Enter an IANA time zone such as "Europe/Paris" or "UTC"'),
    priority: z.string(),
    paused: z.boolean(),
    ...budgetFields,
  })
  .superRefine((values, context) => {
    if (!isTimeZone(values.timezone)) return;
    // The same checks as the api's (cron-parser), so mistakes show before sending.
    const preview = previewCron(values.cron, values.timezone, new Date());
    const problem =
      preview.kind === 'invalid'
        ? preview.message
        : preview.kind === 'too_often'
          ? 'Fire at most once a minute'
          : null;
    if (problem) context.addIssue({ code: 'custom', path: ['cron'], message: problem });
  });
type CreateScheduleValues = z.infer<typeof createScheduleFormSchema>;

const FIELDS_BY_PATH = { target: 'target', ...BUDGET_FIELDS_BY_PATH } as const;

/** The viewer's own time zone: schedules are usually meant in it. */
function localTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

function timeZoneSuggestions(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export function CreateScheduleForm({
  orgId,
  agents,
  teams,
}: {
  orgId: string;
  agents: Agent[];
  teams: Team[];
}) {
  const queryClient = useQueryClient();
  const zonesId = useId();
  const [zones] = useState(timeZoneSuggestions);
  const [created, setCreated] = useState<string | null>(null);
  const [defaults] = useState<CreateScheduleValues>(() => ({
    name: '',
    target: '',
    input: '',
    cron: '0 9 * * 1-5',
    timezone: localTimeZone(),
    priority: '',
    paused: false,
    ...EMPTY_BUDGET,
  }));
  const form = useForm<CreateScheduleValues>({
    resolver: zodResolver(createScheduleFormSchema),
    defaultValues: defaults,
  });
  const { errors, isSubmitting } = form.formState;
  const [cron, timezone] = useWatch({ control: form.control, name: ['cron', 'timezone'] });

  const submit = form.handleSubmit(async (values) => {
    const target = parseTargetValue(values.target);
    if (!target) return;
    setCreated(null);
    const budget = toBudgetInput(values);
    try {
      const schedule = await createSchedule(orgId, {
        name: values.name,
        cron: values.cron,
        timezone: values.timezone,
        target,
        input: values.input,
        ...(Object.keys(budget).length > 0 ? { budget } : {}),
        priority: toPriorityInput(values.priority),
        paused: values.paused,
      });
      // Keep the zone: the next schedule is likely meant in the same one.
      form.reset({ ...defaults, timezone: values.timezone });
      setCreated(schedule.name);
      await queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.schedules(orgId) });
    } catch (error) {
      applyApiError(form, error, { fieldsByPath: FIELDS_BY_PATH });
    }
  });

  if (agents.length === 0 && teams.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        A schedule starts an agent or a team.{' '}
        <Link href={`/orgs/${orgId}/agents/new`} className="underline underline-offset-4">
          Create an agent
        </Link>{' '}
        first.
      </p>
    );
  }
  return (
    <form noValidate className="grid gap-5" onSubmit={(event) => void submit(event)}>
      <div className="grid items-start gap-5 sm:grid-cols-2">
        <TextField label="Name" error={errors.name?.message} {...form.register('name')} />
        <FieldFrame label="Agent or team" error={errors.target?.message}>
          {(control) => (
            <NativeSelect {...control} {...form.register('target')}>
              <TargetOptions agents={agents} teams={teams} />
            </NativeSelect>
          )}
        </FieldFrame>
      </div>
      <FieldFrame
        label="Task"
        hint="Every run the schedule starts gets this task."
        error={errors.input?.message}
      >
        {(control) => <Textarea rows={3} {...control} {...form.register('input')} />}
      </FieldFrame>
      <CronField
        registration={form.register('cron')}
        value={cron}
        timeZone={isTimeZone(timezone) ? timezone : 'UTC'}
        error={errors.cron?.message}
        onPreset={(pattern) =>
          form.setValue('cron', pattern, { shouldDirty: true, shouldValidate: true })
        }
      />
      <div className="grid items-start gap-5 sm:grid-cols-2">
        <div className="grid gap-2">
          <TextField
            label="Time zone"
            list={zonesId}
            autoComplete="off"
            spellCheck={false}
            hint="The pattern is read in this zone, clock changes included."
            error={errors.timezone?.message}
            {...form.register('timezone')}
          />
          <datalist id={zonesId}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>
        <PriorityField
          orgId={orgId}
          scheduled
          registration={form.register('priority')}
          error={errors.priority?.message}
        />
      </div>
      <BudgetFields
        legend="Budget of each run (optional)"
        register={(field) => form.register(field)}
        errors={{
          maxTokens: errors.maxTokens?.message,
          maxCostDollars: errors.maxCostDollars?.message,
          maxDurationMinutes: errors.maxDurationMinutes?.message,
        }}
      />
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-primary"
          {...form.register('paused')}
        />
        <span>
          Create it paused
          <span className="block text-xs text-muted-foreground">
            It starts no run until you resume it.
          </span>
        </span>
      </label>
      <FormError message={readFormError(form)} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton isPending={isSubmitting} pendingLabel="Creating…">
          Create schedule
        </SubmitButton>
        {created ? (
          <p role="status" className="flex items-center gap-1.5 text-sm">
            <CircleCheck className="size-4 text-success" aria-hidden="true" />
            Created “{created}”.
          </p>
        ) : null}
      </div>
    </form>
  );
}
