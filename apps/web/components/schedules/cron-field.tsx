'use client';

import type { UseFormRegisterReturn } from 'react-hook-form';
import { FieldFrame } from '@/components/forms/field-frame';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useNow } from '@/hooks/use-now';
import { formatDateTimeIn } from '@/lib/format';
import { previewCron } from '@/lib/schedules/cron';

/** Common patterns, one click away. */
const PRESETS = [
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Every day at 09:00', cron: '0 9 * * *' },
  { label: 'Weekdays at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Mondays at 09:00', cron: '0 9 * * 1' },
  { label: 'The 1st of each month at 09:00', cron: '0 9 1 * *' },
] as const;

const PREVIEW_REFRESH_MS = 30_000;

/**
 * The cron pattern of a schedule, with presets and a preview of its next firings in the
 * schedule's time zone.
 */
export function CronField({
  registration,
  value,
  timeZone,
  error,
  onPreset,
}: {
  registration: UseFormRegisterReturn;
  /** The pattern typed so far, for the preview. */
  value: string;
  timeZone: string;
  error?: string;
  onPreset: (cron: string) => void;
}) {
  return (
    <div className="grid gap-2">
      <FieldFrame
        label="Cron pattern"
        error={error}
        hint={
          <>
            Minute, hour, day of month, month, day of week (or six fields, seconds first). At most
            once a minute.
            <CronPreview value={value} timeZone={timeZone} showProblems={!error} />
          </>
        }
      >
        {(control) => (
          <Input
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
            placeholder="0 9 * * 1-5"
            {...control}
            {...registration}
          />
        )}
      </FieldFrame>
      <div className="flex flex-wrap gap-1.5" role="group" aria-label="Cron presets">
        {PRESETS.map((preset) => (
          <Button
            key={preset.cron}
            type="button"
            variant="outline"
            size="sm"
            className="h-7 text-xs aria-pressed:border-primary aria-pressed:bg-accent"
            aria-pressed={value.trim() === preset.cron}
            onClick={() => onPreset(preset.cron)}
          >
            {preset.label}
          </Button>
        ))}
      </div>
    </div>
  );
}

function CronPreview({
  value,
  timeZone,
  showProblems,
}: {
  value: string;
  timeZone: string;
  /** Off while the field shows an error, which says the same. */
  showProblems: boolean;
}) {
  const now = useNow(PREVIEW_REFRESH_MS);
  if (value.trim() === '') return null;
  const preview = previewCron(value, timeZone, now);
  if (!showProblems && (preview.kind === 'invalid' || preview.kind === 'too_often')) return null;
  return (
    <span className="mt-1 block" data-testid="cron-preview" aria-live="polite">
      {preview.kind === 'times' ? (
        <>
          Next: {preview.times.map((time) => formatDateTimeIn(time, timeZone)).join(' · ')}{' '}
          <span className="text-muted-foreground/80">({timeZone})</span>
        </>
      ) : preview.kind === 'too_often' ? (
        <span className="text-warning">Fires more often than once a minute.</span>
      ) : preview.kind === 'none' ? (
        <span className="text-warning">Never fires: no such date in the next eight years.</span>
      ) : preview.kind === 'invalid' ? (
        <span className="text-warning">{preview.message}.</span>
      ) : (
        `${preview.message}.`
      )}
    </span>
  );
}
