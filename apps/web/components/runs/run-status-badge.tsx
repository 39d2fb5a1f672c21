import { LoaderCircle } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import type { RunStatus, StepStatus } from '@/lib/api/runtime-schemas';
import { runStatusLabel, statusBadgeVariant, stepStatusLabel } from '@/lib/runs/run-status';

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge variant={statusBadgeVariant(status)} data-testid="run-status">
      {status === 'running' ? (
        <LoaderCircle className="animate-spin motion-reduce:animate-none" aria-hidden="true" />
      ) : null}
      {runStatusLabel(status)}
    </Badge>
  );
}

export function StepStatusBadge({ status }: { status: StepStatus }) {
  return (
    <Badge variant={statusBadgeVariant(status)}>
      {status === 'running' ? (
        <LoaderCircle className="animate-spin motion-reduce:animate-none" aria-hidden="true" />
      ) : null}
      {stepStatusLabel(status)}
    </Badge>
  );
}
