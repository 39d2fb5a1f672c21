import type { Role } from '@/lib/api/schemas';

const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

const ROLE_RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

/** Mirrors the api's role order (owner ⊇ admin ⊇ member ⊇ viewer); the api decides for real. */
export function isRoleAtLeast(role: Role | null | undefined, atLeast: Role): boolean {
  return role !== null && role !== undefined && ROLE_RANK[role] >= ROLE_RANK[atLeast];
}

/** Roles an admin may give with an invitation or a role change (owner only by transfer). */
export const ASSIGNABLE_ROLES = ['admin', 'member', 'viewer'] as const satisfies readonly Role[];

/**
 * The least role for each action of the agent runtime's pages (the api's permission table):
 * viewers read agents, teams, runs and schedules; members and up change them and start runs.
 */
const RUNTIME_PERMISSION_ROLES = {
  'agent:write': 'member',
  'run:create': 'member',
  'schedule:write': 'member',
} as const satisfies Record<string, Role>;
export type RuntimePermission = keyof typeof RUNTIME_PERMISSION_ROLES;

/** Whether `role` may do `permission`; false while the role is unknown. The api decides for real. */
export function hasRuntimePermission(
  role: Role | null | undefined,
  permission: RuntimePermission,
): boolean {
  return isRoleAtLeast(role, RUNTIME_PERMISSION_ROLES[permission]);
}
