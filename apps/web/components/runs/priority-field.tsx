'use client';

import { useQuery } from '@tanstack/react-query';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { FieldFrame } from '@/components/forms/field-frame';
import { NativeSelect } from '@/components/ui/native-select';
import { orgQueryKeys } from '@/hooks/use-orgs';
import { getOrg } from '@/lib/api/orgs';
import type { PlanTier } from '@/lib/api/schemas';
import { LOWEST_PRIORITY, priorityChoices } from '@/lib/runs/priority';

const TIER_LABELS: Record<PlanTier, string> = {
  free: 'Free',
  pro: 'Pro',
  enterprise: 'Enterprise',
};

/**
 * A run's queue priority: the default (the org's plan tier decides), or a less urgent one. Its
 * value is `''` for the default, else the number as text.
 */
export function PriorityField({
  orgId,
  scheduled,
  registration,
  error,
  className,
}: {
  orgId: string;
  /** Scheduled runs default to a lower priority than runs someone waits for. */
  scheduled: boolean;
  registration: UseFormRegisterReturn;
  error?: string;
  className?: string;
}) {
  // The page frame has loaded the org already; this reads the same cache entry.
  const org = useQuery({ queryKey: orgQueryKeys.org(orgId), queryFn: () => getOrg(orgId) });
  const planTier = org.data?.planTier;
  const { defaultPriority, choices } = priorityChoices(planTier, { scheduled });
  const mostUrgent = choices[0] ?? 1;
  return (
    <FieldFrame
      label="Priority"
      error={error}
      className={className}
      hint={
        planTier
          ? `Lower numbers run first when workers are busy. On the ${TIER_LABELS[planTier]} plan, ${mostUrgent} is the most urgent${scheduled ? '; scheduled runs default to two lower, so runs people wait for go first' : ''}.`
          : 'Lower numbers run first when workers are busy.'
      }
    >
      {(control) => (
        <NativeSelect {...control} {...registration}>
          <option value="">
            {defaultPriority === null ? 'Default' : `Default (${defaultPriority})`}
          </option>
          {choices.map((priority) => (
            <option key={priority} value={String(priority)}>
              {priority}
              {priority === mostUrgent ? ' (most urgent)' : ''}
              {priority === LOWEST_PRIORITY ? ' (least urgent)' : ''}
            </option>
          ))}
        </NativeSelect>
      )}
    </FieldFrame>
  );
}
