import Link from 'next/link';
import type { Schedule } from '@/lib/api/runtime-schemas';

/**
 * "2 schedules start it: …" under a delete confirmation, or nothing. The api refuses the
 * deletion (409) while a schedule starts the agent or team.
 */
export function SchedulesWarning({ orgId, schedules }: { orgId: string; schedules: Schedule[] }) {
  if (schedules.length === 0) return null;
  const names = schedules.map((schedule) => `“${schedule.name}”`).join(', ');
  const one = schedules.length === 1;
  return (
    <span className="mt-2 block text-warning" data-testid="schedules-warning">
      {one ? 'A schedule starts it' : `${schedules.length} schedules start it`} ({names}): it can be
      deleted once you{' '}
      <Link href={`/orgs/${orgId}/schedules`} className="underline underline-offset-4">
        delete {one ? 'that schedule' : 'them'}
      </Link>
      .
    </span>
  );
}
