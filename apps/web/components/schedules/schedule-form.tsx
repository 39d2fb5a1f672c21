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
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import type { Agent, Schedule, Team } from '@/lib/api/runtime-schemas';
import { createSchedule, updateSchedule } from '@/lib/api/schedules';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { BUDGET_FIELDS_BY_PATH, budgetFields } from '@/lib/runs/budget-input';
import { TARGET_VALUE_PATTERN, toTargetValue } from '@/lib/runs/run-target';
import { isTimeZone, previewCron } from '@/lib/schedules/cron';
import {
  buildScheduleUpdate,
  newScheduleValues,
  scheduleFormValues,
  toScheduleInput,
  type ScheduleFormValues,
} from '@/lib/schedules/schedule-input';

const scheduleFormSchema = z
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
  }) satisfies z.ZodType<ScheduleFormValues>;

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

/**
 * Creates a schedule (`schedule` absent) or edits one. An edit sends only what changed (a cleared
 * priority or budget as null) and hands the saved schedule to `onUpdated`.
 */
export function ScheduleForm({
  orgId,
  agents,
  teams,
  schedule: shown,
  onUpdated,
  onCancel,
}: {
  orgId: string;
  agents: Agent[];
  teams: Team[];
  schedule?: Schedule;
  onUpdated?: (schedule: Schedule) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const queryClient = useQueryClient();
  // As the form opened: an edit sends what the user changed from it, even if the list behind
  // the form was fetched again meanwhile.
  const [schedule] = useState(shown);
  const zonesId = useId();
  const [zones] = useState(timeZoneSuggestions);
  const [created, setCreated] = useState<string | null>(null);
  const [defaults] = useState<ScheduleFormValues>(() =>
    schedule ? scheduleFormValues(schedule) : newScheduleValues(localTimeZone()),
  );
  const form = useForm<ScheduleFormValues>({
    resolver: zodResolver(scheduleFormSchema),
    defaultValues: defaults,
  });
  const { errors, isSubmitting } = form.formState;
  const [cron, timezone] = useWatch({ control: form.control, name: ['cron', 'timezone'] });
  const deletedTarget = schedule && !isListed(schedule, agents, teams) ? schedule.target : null;

  const submit = form.handleSubmit(async (values) => {
    try {
      if (schedule) {
        const update = buildScheduleUpdate(schedule, values);
        if (!update) {
          form.setError('root.server', { type: 'server', message: 'Nothing changed.' });
          return;
        }
        await onUpdated?.(await updateSchedule(orgId, schedule.id, update));
        return;
      }
      const input = toScheduleInput(values);
      if (!input) return;
      setCreated(null);
      const saved = await createSchedule(orgId, input);
      // Keep the zone: the next schedule is likely meant in the same one.
      form.reset({ ...defaults, timezone: values.timezone });
      setCreated(saved.name);
      await queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.schedules(orgId) });
    } catch (error) {
      applyApiError(form, error, { fieldsByPath: FIELDS_BY_PATH });
    }
  });

  if (!schedule && agents.length === 0 && teams.length === 0) {
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
              {deletedTarget ? (
                <option value={toTargetValue(deletedTarget.kind, deletedTarget.id)}>
                  {deletedTarget.kind === 'agent' ? 'Deleted agent' : 'Deleted team'}
                </option>
              ) : null}
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
      {schedule ? null : (
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
      )}
      <FormError message={readFormError(form)} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton isPending={isSubmitting} pendingLabel={schedule ? 'Saving…' : 'Creating…'}>
          {schedule ? 'Save changes' : 'Create schedule'}
        </SubmitButton>
        {onCancel ? (
          <Button type="button" variant="outline" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
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

/** Whether the schedule's agent or team is among those offered (else it was deleted). */
function isListed(schedule: Schedule, agents: Agent[], teams: Team[]): boolean {
  const { kind, id } = schedule.target;
  return kind === 'agent'
    ? agents.some((agent) => agent.id === id)
    : teams.some((team) => team.id === id);
}
