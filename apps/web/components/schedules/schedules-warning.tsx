import Link from 'next/link';
import type { Schedule } from '@/lib/api/runtime-schemas';

/** "2 schedules start it: …" under a delete confirmation, or nothing. */
export function SchedulesWarning({ orgId, schedules }: { orgId: string; schedules: Schedule[] }) {
  if (schedules.length === 0) return null;
  const names = schedules.map((schedule) => `“${schedule.name}”`).join(', ');
  return (
    <span className="mt-2 block text-warning" data-testid="schedules-warning">
      {schedules.length === 1 ? 'A schedule starts it' : `${schedules.length} schedules start it`} (
      {names}): their runs will fail until you{' '}
      <Link href={`/orgs/${orgId}/schedules`} className="underline underline-offset-4">
        delete {schedules.length === 1 ? 'it' : 'them'}
      </Link>
      .
    </span>
  );
}
