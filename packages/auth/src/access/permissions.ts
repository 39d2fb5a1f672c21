import { MEMBERSHIP_ROLES, type MembershipRole } from '@switchyard/database';

export type Role = MembershipRole;

/** Roles from most to least powerful; each holds every permission of the roles after it. */
export const ROLES = MEMBERSHIP_ROLES;

const ROLE_RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

/** True when `role` is at least as powerful as `atLeast`. */
export function isRoleAtLeast(role: Role, atLeast: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[atLeast];
}

type PermissionRule = {
  /** The least powerful role that holds the permission on any resource of the org. */
  role: Role;
  /**
   * The least powerful role that holds it on a resource it owns (`resource.ownerUserId` equals
   * the actor's user id), when that is lower than `role`. For example a viewer may remove their
   * own membership (leave the org) but nobody else's.
   */
  ownRole?: Role;
  /** False when an API key can never hold it (keys act without a person behind them). */
  apiKey: boolean;
};

/**
 * THE permission table: one row per `resource:action`. Every check in REST, GraphQL, sockets and
 * workers goes through `can()`, which reads only this table.
 */
export const PERMISSION_TABLE = {
  'org:read': { role: 'viewer', apiKey: true },
  // Includes `requireTwoFactor`: a key must not be able to switch the second factor off.
  'org:update': { role: 'admin', apiKey: false },
  'org:delete': { role: 'owner', apiKey: false },
  'org:transfer': { role: 'owner', apiKey: false },

  'member:read': { role: 'viewer', apiKey: false },
  'member:invite': { role: 'admin', apiKey: false },
  'member:update': { role: 'admin', apiKey: false },
  'member:remove': { role: 'admin', ownRole: 'viewer', apiKey: false },

  'api_key:read': { role: 'admin', apiKey: false },
  'api_key:create': { role: 'admin', apiKey: false },
  'api_key:revoke': { role: 'admin', apiKey: false },

  'audit_log:read': { role: 'admin', apiKey: true },

  'agent:read': { role: 'viewer', apiKey: true },
  'agent:write': { role: 'member', apiKey: true },

  'run:read': { role: 'viewer', apiKey: true },
  'run:create': { role: 'member', apiKey: true },
  'run:cancel': { role: 'admin', ownRole: 'member', apiKey: true },
  'run:approve': { role: 'member', apiKey: true },

  'schedule:read': { role: 'viewer', apiKey: true },
  'schedule:write': { role: 'member', apiKey: true },

  'billing:read': { role: 'admin', apiKey: true },
  'billing:manage': { role: 'owner', apiKey: true },

  'file:read': { role: 'viewer', apiKey: true },
  'file:write': { role: 'member', apiKey: true },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSION_TABLE;

export const PERMISSIONS = Object.keys(PERMISSION_TABLE) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSION_TABLE, value);
}

export function getPermissionRule(permission: Permission): PermissionRule {
  return PERMISSION_TABLE[permission];
}

/** Permissions an API key may carry as scopes. */
export const API_KEY_SCOPES = PERMISSIONS.filter(
  (permission) => PERMISSION_TABLE[permission].apiKey,
);

export type ApiKeyScope = Permission;

export function isApiKeyScope(value: string): value is Permission {
  return isPermission(value) && PERMISSION_TABLE[value].apiKey;
}

/**
 * Scopes a member of `role` may put on a key they create: key-grantable permissions the role holds
 * on every resource of the org (an "own resources only" grant cannot be expressed by a key, which
 * has no user; granting it would widen the creator's rights).
 */
export function canGrantScope(role: Role, scope: Permission): boolean {
  const rule: PermissionRule = PERMISSION_TABLE[scope];
  return rule.apiKey && isRoleAtLeast(role, rule.role);
}

/** Every permission `role` holds on any resource of its org, in table order. */
export function listRolePermissions(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => isRoleAtLeast(role, PERMISSION_TABLE[permission].role));
}
