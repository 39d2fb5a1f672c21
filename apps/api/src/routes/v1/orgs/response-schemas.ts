import { z } from 'zod';
import {
  API_KEY_SCOPES,
  ROLES,
  type ApiKeyView,
  type AuditEventView,
  type InvitationView,
  type OrgMemberView,
} from '@switchyard/auth';
import { PLAN_TIERS, type Organization } from '@switchyard/database';

export const roleSchema = z.enum(ROLES);
const timestamp = z.iso.datetime();

export const orgIdParamsSchema = z.object({ orgId: z.uuid() });

export const orgSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    personal: z.boolean(),
    requireTwoFactor: z.boolean(),
    /** Set by billing; paid tiers' runs are queued ahead of free ones. Read-only here. */
    planTier: z.enum(PLAN_TIERS),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'Organization',
    examples: [
      {
        id: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
        name: 'Acme Robotics',
        slug: 'acme-robotics-3f9a1c2b',
        personal: false,
        requireTwoFactor: false,
        planTier: 'free',
        createdAt: '2025-01-01T12:00:00.000Z',
        updatedAt: '2025-01-01T12:00:00.000Z',
      },
    ],
  });

export function toOrgResponse(org: Organization): z.infer<typeof orgSchema> {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    personal: org.personal,
    requireTwoFactor: org.requireTwoFactor,
    planTier: org.planTier,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

export const myOrgSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    personal: z.boolean(),
    role: roleSchema,
    joinedAt: timestamp,
  })
  .meta({
    id: 'MyOrganization',
    examples: [
      {
        id: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
        name: 'Acme Robotics',
        slug: 'acme-robotics-3f9a1c2b',
        personal: false,
        role: 'admin',
        joinedAt: '2025-01-02T09:30:00.000Z',
      },
    ],
  });

export const memberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    joinedAt: timestamp,
  })
  .meta({
    id: 'Member',
    examples: [
      {
        userId: '0b8e9c1e-5f8a-4a47-9d6e-2f1a3b4c5d6e',
        email: 'grace@example.com',
        name: 'Grace Hopper',
        role: 'member',
        joinedAt: '2025-01-02T09:30:00.000Z',
      },
    ],
  });

export function toMemberResponse(member: OrgMemberView): z.infer<typeof memberSchema> {
  return { ...member, joinedAt: member.joinedAt.toISOString() };
}

export const membershipSchema = z.object({ orgId: z.uuid(), userId: z.uuid(), role: roleSchema });

export const invitationSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    email: z.string(),
    role: roleSchema,
    invitedByUserId: z.uuid().nullable(),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .meta({
    id: 'Invitation',
    examples: [
      {
        id: '7e4a1c9b-2d3f-4b5a-8c6d-9e0f1a2b3c4d',
        orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
        email: 'grace@example.com',
        role: 'member',
        invitedByUserId: '3f0e9c5a-7b1d-4e2f-9a6b-8c4d2e1f0a7b',
        createdAt: '2025-01-01T12:00:00.000Z',
        expiresAt: '2025-01-08T12:00:00.000Z',
      },
    ],
  });

export function toInvitationResponse(invitation: InvitationView): z.infer<typeof invitationSchema> {
  return {
    ...invitation,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The key starts with `sy_<prefix>_`; safe to show.'),
    scopes: z.array(z.string()),
    createdByUserId: z.uuid().nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({
    id: 'ApiKey',
    examples: [
      {
        id: '2c7d9e1f-4a5b-4c6d-9e8f-0a1b2c3d4e5f',
        orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
        name: 'CI deploys',
        prefix: 'k3x9m2pa',
        scopes: ['run:create', 'run:read'],
        createdByUserId: '0b8e9c1e-5f8a-4a47-9d6e-2f1a3b4c5d6e',
        createdAt: '2025-01-01T12:00:00.000Z',
        lastUsedAt: null,
        expiresAt: null,
        revokedAt: null,
      },
    ],
  });

export function toApiKeyResponse(apiKey: ApiKeyView): z.infer<typeof apiKeySchema> {
  return {
    ...apiKey,
    createdAt: apiKey.createdAt.toISOString(),
    lastUsedAt: apiKey.lastUsedAt?.toISOString() ?? null,
    expiresAt: apiKey.expiresAt?.toISOString() ?? null,
    revokedAt: apiKey.revokedAt?.toISOString() ?? null,
  };
}

export const apiKeyScopesDescription = `Permissions the key holds; one of: ${API_KEY_SCOPES.join(', ')}.`;

export const auditEventSchema = z
  .object({
    id: z.uuid(),
    action: z.string(),
    actor: z.object({ id: z.uuid(), email: z.string(), name: z.string() }).nullable(),
    actorUserId: z.uuid().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: timestamp,
  })
  .meta({
    id: 'AuditEvent',
    examples: [
      {
        id: '1d5f8b2c-9e3a-4c7d-a6b4-2f0e8d1c7a9b',
        action: 'member.role_changed',
        actor: {
          id: '3f0e9c5a-7b1d-4e2f-9a6b-8c4d2e1f0a7b',
          email: 'ada@example.com',
          name: 'Ada Lovelace',
        },
        actorUserId: '3f0e9c5a-7b1d-4e2f-9a6b-8c4d2e1f0a7b',
        targetType: 'user',
        targetId: '0b8e9c1e-5f8a-4a47-9d6e-2f1a3b4c5d6e',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
        metadata: { from: 'member', to: 'admin' },
        createdAt: '2025-01-03T15:45:00.000Z',
      },
    ],
  });

export function toAuditEventResponse(event: AuditEventView): z.infer<typeof auditEventSchema> {
  return { ...event, createdAt: event.createdAt.toISOString() };
}
