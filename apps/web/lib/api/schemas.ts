import { z } from 'zod';

/**
 * The shapes of the api's answers this app reads. Unknown extra fields are ignored, so the api
 * may add fields without breaking the pages; a missing or mistyped field is a `BAD_RESPONSE`.
 */

const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const PLAN_TIERS = ['free', 'pro', 'enterprise'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

const publicUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  emailVerified: z.boolean(),
  createdAt: z.string().optional(),
});

const profileMembershipSchema = z.object({
  orgId: z.string(),
  role: roleSchema,
  organization: z.object({ id: z.string(), name: z.string(), personal: z.boolean() }),
});

/**
 * `GET /v1/me`. The account-wide facts (second factor, password) are folded into `user`, so
 * components pass one object around.
 */
export const meSchema = z
  .object({
    user: publicUserSchema,
    memberships: z.array(profileMembershipSchema),
    hasPassword: z.boolean(),
    twoFactorEnabled: z.boolean(),
    recoveryCodesRemaining: z.number(),
    /** Operators (the api's `PLATFORM_ADMIN_EMAILS`) may open the worker manager. */
    platformAdmin: z.boolean().optional(),
  })
  .transform(
    ({
      user,
      memberships,
      hasPassword,
      twoFactorEnabled,
      recoveryCodesRemaining,
      platformAdmin,
    }) => ({
      user: {
        ...user,
        hasPassword,
        twoFactorEnabled,
        recoveryCodesRemaining,
        platformAdmin: platformAdmin ?? false,
      },
      memberships,
    }),
  );
export type Me = z.output<typeof meSchema>;
export type User = Me['user'];

export const loginResultSchema = z.union([
  z.object({ status: z.literal('two_factor_required'), challengeToken: z.string() }),
  z.object({ user: publicUserSchema }).transform(() => ({ status: 'ok' as const })),
]);
export type LoginResult = z.infer<typeof loginResultSchema>;

export const oauthProviderSchema = z.object({
  id: z.string(),
  kind: z.string(),
  displayName: z.string(),
});

export const sessionSchema = z.object({
  id: z.string(),
  device: z.string().nullable().optional(),
  ip: z.string().nullable().optional(),
  method: z.string().optional(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});

export const twoFactorSetupSchema = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrCodeDataUrl: z.string(),
});
export type TwoFactorSetup = z.infer<typeof twoFactorSetupSchema>;

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  personal: z.boolean(),
  requireTwoFactor: z.boolean(),
  /** Set by billing; a run may be no more urgent than its org's tier allows. */
  planTier: z.enum(PLAN_TIERS).optional(),
  createdAt: z.string(),
});
export type Organization = z.infer<typeof organizationSchema>;

/** An entry of `GET /v1/orgs`: an org with the signed-in user's role in it. */
export const myOrgSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  personal: z.boolean(),
  role: roleSchema,
  joinedAt: z.string(),
});

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  joinedAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.string().optional(),
  expiresAt: z.string(),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().optional(),
  expiresAt: z.string().nullable().optional(),
  revokedAt: z.string().nullable().optional(),
});
export type ApiKeyInfo = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = z.object({ key: z.string(), apiKey: apiKeySchema });

const auditEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  actorUserId: z.string().nullable(),
  targetType: z.string().nullable().optional(),
  targetId: z.string().nullable().optional(),
  ip: z.string().nullable().optional(),
  createdAt: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  events: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});

export const mailMessageSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  createdAt: z.string(),
});
export type MailMessage = z.infer<typeof mailMessageSchema>;
