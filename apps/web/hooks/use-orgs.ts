'use client';

import { useQuery } from '@tanstack/react-query';
import { listOrgs } from '@/lib/api/orgs';

export const ORGS_QUERY_KEY = ['orgs'] as const;

export const orgQueryKeys = {
  org: (orgId: string) => ['orgs', orgId] as const,
  members: (orgId: string) => ['orgs', orgId, 'members'] as const,
  invitations: (orgId: string) => ['orgs', orgId, 'invitations'] as const,
  apiKeys: (orgId: string) => ['orgs', orgId, 'api-keys'] as const,
  auditLog: (orgId: string) => ['orgs', orgId, 'audit-log'] as const,
};

/** The organisations the signed-in user belongs to, with their role in each. */
export function useMyOrgs(enabled = true) {
  return useQuery({ queryKey: ORGS_QUERY_KEY, queryFn: () => listOrgs(), enabled });
}
