import { z } from 'zod';
import {
  API_KEY_SCOPES,
  ROLES,
  type ApiKeyView,
  type AuditEventView,
  type InvitationView,
  type OrgMemberView,
} from '@switchyard/auth';
import type { Organization } from '@switchyard/database';

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
  .meta({ id: 'MyOrganization' });

export const memberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    joinedAt: timestamp,
  })
  .meta({ id: 'Member' });

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
  .meta({ id: 'Invitation' });

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
  .meta({ id: 'AuditEvent' });

export function toAuditEventResponse(event: AuditEventView): z.infer<typeof auditEventSchema> {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

export const noContentSchema = z.null().describe('No content');
