import { z } from 'zod';
import { tokenResponseSchema } from '../../../plugins/session-cookies';

/** A user as clients see it; never the password hash. */
export const publicUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  emailVerified: z.boolean(),
  createdAt: z.string().describe('ISO 8601 time the account was created.'),
});

/** 202 of the endpoints that must not tell whether an address has an account. */
export const acceptedSchema = z.object({
  status: z.literal('accepted'),
  message: z.string(),
});

/**
 * A started session: the user, `expiresIn`, and in token mode the tokens (cookie mode sets the
 * `__Host-` cookies instead and the body carries no token).
 */
export const sessionResponseSchema = z.object({
  status: z.literal('authenticated'),
  user: publicUserSchema,
  expiresIn: z.number().int(),
  accessToken: tokenResponseSchema.shape.accessToken.optional(),
  refreshToken: tokenResponseSchema.shape.refreshToken.optional(),
  tokenType: tokenResponseSchema.shape.tokenType.optional(),
});

export const twoFactorChallengeSchema = z.object({
  status: z.literal('two_factor_required'),
  challengeToken: z
    .string()
    .describe('Give it to `POST /v1/auth/login/two-factor` with a code; single-use.'),
  expiresAt: z.string(),
});

export const recoveryCodesSchema = z.object({
  recoveryCodes: z
    .array(z.string())
    .describe('Shown this once; each works once. Only their hashes are stored.'),
});
