'use client';

import { useMe } from '@/hooks/use-me';
import { useMyOrgs } from '@/hooks/use-orgs';
import type { Role } from '@/lib/api/schemas';
import { hasRuntimePermission, type RuntimePermission } from '@/lib/roles';

/**
 * The signed-in user's role in the org and what it allows, to hide actions the api would refuse.
 * Until the role is known nothing is allowed, so no button flashes in and out.
 */
export function useOrgRole(orgId: string): {
  role: Role | null;
  can: (permission: RuntimePermission) => boolean;
} {
  const me = useMe();
  const myOrgs = useMyOrgs(Boolean(me.data));
  const role = myOrgs.data?.find((org) => org.id === orgId)?.role ?? null;
  return { role, can: (permission) => hasRuntimePermission(role, permission) };
}
