import type { RunStatus, StepStatus } from '@/lib/api/runtime-schemas';

type BadgeVariant = 'default' | 'secondary' | 'destructive' | 'success' | 'warning' | 'outline';

const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting_for_approval: 'Waiting for approval',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATUS_VARIANTS: Record<RunStatus | StepStatus, BadgeVariant> = {
  pending: 'outline',
  queued: 'secondary',
  running: 'default',
  waiting_for_approval: 'warning',
  succeeded: 'success',
  failed: 'destructive',
  cancelled: 'secondary',
  skipped: 'outline',
};

export function runStatusLabel(status: RunStatus): string {
  return RUN_STATUS_LABELS[status];
}

export function stepStatusLabel(status: StepStatus): string {
  if (status === 'pending') return 'Pending';
  if (status === 'skipped') return 'Skipped';
  return RUN_STATUS_LABELS[status];
}

export function statusBadgeVariant(status: RunStatus | StepStatus): BadgeVariant {
  return STATUS_VARIANTS[status];
}

/** A run that may still change: the live view keeps following it. */
export function isRunActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'waiting_for_approval';
}
