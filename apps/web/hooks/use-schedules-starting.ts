'use client';

import { useQuery } from '@tanstack/react-query';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import type { Schedule } from '@/lib/api/runtime-schemas';
import { listSchedules } from '@/lib/api/schedules';

/**
 * The schedules (among the org's newest 100) that start this agent or team, to warn before it is
 * deleted: their runs would fail from then on.
 */
export function useSchedulesStarting(
  orgId: string,
  kind: 'agent' | 'team',
  id: string,
): Schedule[] {
  const schedules = useQuery({
    queryKey: runtimeQueryKeys.scheduleTargets(orgId),
    queryFn: () => listSchedules(orgId, { limit: 100 }),
  });
  return (
    schedules.data?.schedules.filter(
      (schedule) => schedule.target.kind === kind && schedule.target.id === id,
    ) ?? []
  );
}
