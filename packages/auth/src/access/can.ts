import { AppError } from '@switchyard/shared';
import {
  isApiKeyScope,
  isPermission,
  isRoleAtLeast,
  PERMISSION_TABLE,
  type Permission,
  type Role,
} from './permissions';

/**
 * Who is acting. A member actor is a person's membership of `orgId` (load it from the database for
 * the org being accessed); an API key actor is a key of `orgId` with its scopes.
 */
export type Actor =
  | { kind: 'member'; orgId: string; userId: string; role: Role }
  | { kind: 'api_key'; orgId: string; apiKeyId?: string; scopes: readonly string[] };

export type MemberActor = Extract<Actor, { kind: 'member' }>;

/** What is acted upon: always an org's resource, optionally owned by one user. */
export type AccessResource = { orgId: string; ownerUserId?: string | null };

/**
 * The single authorisation decision, shared by REST, GraphQL, sockets and workers. Never grants
 * anything across orgs; a key gets only its scopes, and never a permission keys cannot hold even
 * if a stored key somehow carries it.
 */
export function can(actor: Actor, action: Permission, resource: AccessResource): boolean {
  // A caller passing an unchecked string must not reach a permission that does not exist.
  if (!isPermission(action)) return false;
  if (actor.orgId !== resource.orgId) return false;
  if (actor.kind === 'api_key') {
    return isApiKeyScope(action) && actor.scopes.includes(action);
  }
  const rule: { role: Role; ownRole?: Role } = PERMISSION_TABLE[action];
  if (isRoleAtLeast(actor.role, rule.role)) return true;
  const ownsResource =
    resource.ownerUserId !== undefined &&
    resource.ownerUserId !== null &&
    resource.ownerUserId === actor.userId;
  return ownsResource && rule.ownRole !== undefined && isRoleAtLeast(actor.role, rule.ownRole);
}

/** `can()` or throw 403 FORBIDDEN. Use it only once the actor is known to see the org at all. */
export function assertCan(actor: Actor, action: Permission, resource: AccessResource): void {
  if (!can(actor, action, resource)) {
    throw new AppError('FORBIDDEN', {
      message: 'You do not have permission to do this.',
      details: { permission: action },
    });
  }
}

/** The member actor for a membership row. */
export function toMemberActor(membership: {
  orgId: string;
  userId: string;
  role: Role;
}): MemberActor {
  return {
    kind: 'member',
    orgId: membership.orgId,
    userId: membership.userId,
    role: membership.role,
  };
}
