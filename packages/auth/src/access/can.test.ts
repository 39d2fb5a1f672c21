import { describe, expect, it } from 'vitest';
import { assertCan, can, toMemberActor, type Actor } from './can';
import {
  API_KEY_SCOPES,
  canGrantScope,
  isApiKeyScope,
  listRolePermissions,
  PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from './permissions';

const ORG = '00000000-0000-4000-8000-00000000000a';
const OTHER_ORG = '00000000-0000-4000-8000-00000000000b';
const ME = '00000000-0000-4000-8000-000000000001';
const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000002';

/**
 * The expected access matrix, written out by hand so a reviewer can read it.
 *   all  = on any resource of the org
 *   own  = only on resources the actor owns (resource.ownerUserId = the actor)
 *   -    = never
 * The `key` column says whether an API key may hold the permission as a scope.
 */
type Cell = 'all' | 'own' | '-';
// prettier-ignore
const MATRIX: Array<[Permission, Cell, Cell, Cell, Cell, 'scope' | 'never']> = [
  //                 owner   admin   member  viewer  key
  ['org:read',       'all',  'all',  'all',  'all',  'scope'],
  ['org:update',     'all',  'all',  '-',    '-',    'never'],
  ['org:delete',     'all',  '-',    '-',    '-',    'never'],
  ['org:transfer',   'all',  '-',    '-',    '-',    'never'],
  ['member:read',    'all',  'all',  'all',  'all',  'never'],
  ['member:invite',  'all',  'all',  '-',    '-',    'never'],
  ['member:update',  'all',  'all',  '-',    '-',    'never'],
  ['member:remove',  'all',  'all',  'own',  'own',  'never'],
  ['api_key:read',   'all',  'all',  '-',    '-',    'never'],
  ['api_key:create', 'all',  'all',  '-',    '-',    'never'],
  ['api_key:revoke', 'all',  'all',  '-',    '-',    'never'],
  ['audit_log:read', 'all',  'all',  '-',    '-',    'scope'],
  ['agent:read',     'all',  'all',  'all',  'all',  'scope'],
  ['agent:write',    'all',  'all',  'all',  '-',    'scope'],
  ['run:read',       'all',  'all',  'all',  'all',  'scope'],
  ['run:create',     'all',  'all',  'all',  '-',    'scope'],
  ['run:cancel',     'all',  'all',  'own',  '-',    'scope'],
  ['run:approve',    'all',  'all',  'all',  '-',    'scope'],
  ['schedule:read',  'all',  'all',  'all',  'all',  'scope'],
  ['schedule:write', 'all',  'all',  'all',  '-',    'scope'],
  ['billing:read',   'all',  'all',  '-',    '-',    'scope'],
  ['billing:manage', 'all',  '-',    '-',    '-',    'scope'],
  ['file:read',      'all',  'all',  'all',  'all',  'scope'],
  ['file:write',     'all',  'all',  'all',  '-',    'scope'],
];

const ROLE_COLUMN: Record<Role, 1 | 2 | 3 | 4> = { owner: 1, admin: 2, member: 3, viewer: 4 };

function member(role: Role, orgId = ORG): Actor {
  return { kind: 'member', orgId, userId: ME, role };
}

function key(scopes: string[], orgId = ORG): Actor {
  return { kind: 'api_key', orgId, apiKeyId: 'k', scopes };
}

describe('the permission matrix', () => {
  it('lists every permission of the table exactly once', () => {
    expect(MATRIX.map((row) => row[0]).sort()).toEqual([...PERMISSIONS].sort());
  });

  const memberCases = MATRIX.flatMap((row) =>
    ROLES.map((role) => ({ permission: row[0], role, cell: row[ROLE_COLUMN[role]] })),
  );

  it.each(memberCases)('$role has $permission: $cell', ({ permission, role, cell }) => {
    const onOwn = can(member(role), permission, { orgId: ORG, ownerUserId: ME });
    const onOthers = can(member(role), permission, { orgId: ORG, ownerUserId: SOMEONE_ELSE });
    const onUnowned = can(member(role), permission, { orgId: ORG });

    expect({ onOwn, onOthers, onUnowned }).toEqual({
      onOwn: cell !== '-',
      onOthers: cell === 'all',
      onUnowned: cell === 'all',
    });
  });

  it.each(MATRIX)('an API key with the scope %s is allowed: %s', (permission, ...rest) => {
    const grantable = rest[4] === 'scope';
    expect(isApiKeyScope(permission)).toBe(grantable);
    expect(can(key([permission]), permission, { orgId: ORG })).toBe(grantable);
    expect(can(key([permission]), permission, { orgId: ORG, ownerUserId: SOMEONE_ELSE })).toBe(
      grantable,
    );
  });

  it('never lets a member act on another org, whatever the role', () => {
    for (const permission of PERMISSIONS) {
      for (const role of ROLES) {
        expect(can(member(role), permission, { orgId: OTHER_ORG, ownerUserId: ME })).toBe(false);
      }
    }
  });

  it('never lets a key act on another org, even with every scope', () => {
    const everything = key([...PERMISSIONS], OTHER_ORG);
    for (const permission of PERMISSIONS) {
      expect(can(everything, permission, { orgId: ORG })).toBe(false);
    }
  });

  it('gives a key only its scopes', () => {
    const runReader = key(['run:read']);
    expect(can(runReader, 'run:read', { orgId: ORG })).toBe(true);
    expect(can(runReader, 'run:create', { orgId: ORG })).toBe(false);
    expect(can(runReader, 'member:read', { orgId: ORG })).toBe(false);
    expect(can(key([]), 'org:read', { orgId: ORG })).toBe(false);
  });

  it('refuses member, api key, transfer and delete permissions to a key that somehow carries them', () => {
    const forged = key([...PERMISSIONS]);
    for (const permission of PERMISSIONS.filter((p) => /^(member|api_key):/.test(p))) {
      expect(can(forged, permission, { orgId: ORG })).toBe(false);
    }
    expect(can(forged, 'org:transfer', { orgId: ORG })).toBe(false);
    expect(can(forged, 'org:delete', { orgId: ORG })).toBe(false);
    expect(API_KEY_SCOPES.some((scope) => /^(member|api_key):/.test(scope))).toBe(false);
  });

  it('refuses an action that is not in the table', () => {
    expect(can(member('owner'), 'org:explode' as Permission, { orgId: ORG })).toBe(false);
    expect(can(key(['org:explode']), 'org:explode' as Permission, { orgId: ORG })).toBe(false);
  });

  it('refuses a role that is not one of the four', () => {
    const stranger = { kind: 'member', orgId: ORG, userId: ME, role: 'superuser' } as never;
    expect(can(stranger, 'org:read', { orgId: ORG })).toBe(false);
  });

  it('orders roles so each holds everything the next one holds', () => {
    for (let i = 0; i < ROLES.length - 1; i += 1) {
      const stronger = new Set(listRolePermissions(ROLES[i] as Role));
      for (const permission of listRolePermissions(ROLES[i + 1] as Role)) {
        expect(stronger.has(permission)).toBe(true);
      }
    }
  });
});

describe('canGrantScope', () => {
  it('lets a role put on a key only key scopes it holds on the whole org', () => {
    expect(canGrantScope('admin', 'run:cancel')).toBe(true);
    expect(canGrantScope('admin', 'billing:manage')).toBe(false);
    expect(canGrantScope('owner', 'billing:manage')).toBe(true);
    expect(canGrantScope('member', 'run:cancel')).toBe(false);
    expect(canGrantScope('owner', 'member:read')).toBe(false);
    expect(canGrantScope('owner', 'api_key:create')).toBe(false);
  });
});

describe('assertCan', () => {
  it('throws FORBIDDEN naming the permission when denied', () => {
    expect(() => assertCan(member('viewer'), 'run:create', { orgId: ORG })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', details: { permission: 'run:create' } }),
    );
    expect(() => assertCan(member('member'), 'run:create', { orgId: ORG })).not.toThrow();
  });
});

describe('toMemberActor', () => {
  it('builds a member actor from a membership row', () => {
    expect(toMemberActor({ orgId: ORG, userId: ME, role: 'admin' })).toEqual({
      kind: 'member',
      orgId: ORG,
      userId: ME,
      role: 'admin',
    });
  });
});
