import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../passwords/check-password-policy';

/** Trimmed and lowercased, like the stored address. */
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Only the hash-DoS cap; the policy (length, common passwords) is applied by the services. */
export const passwordSchema = z.string().min(1).max(MAX_PASSWORD_LENGTH);

/** A person's display name; control characters (line breaks included) are refused. */
export const userNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

/** An e-mailed or challenge token as it appears in a link. */
export const authTokenSchema = z.string().trim().min(16).max(256);

/** A 6-digit authenticator code; spaces are allowed ("123 456"). */
export const totpCodeSchema = z.string().trim().max(16);
export const recoveryCodeSchema = z.string().trim().max(64);

/** Either second factor; services decide whether one is needed. */
export const secondFactorSchema = z.object({
  code: totpCodeSchema.optional(),
  recoveryCode: recoveryCodeSchema.optional(),
});
export type SecondFactorInput = z.infer<typeof secondFactorSchema>;

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: userNameSchema.optional(),
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const logInSchema = z.object({ email: emailSchema, password: passwordSchema });
export type LogInInput = z.infer<typeof logInSchema>;

export const completeTwoFactorLoginSchema = secondFactorSchema.extend({
  challengeToken: authTokenSchema,
});
export type CompleteTwoFactorLoginInput = z.infer<typeof completeTwoFactorLoginSchema>;

export const emailOnlySchema = z.object({ email: emailSchema });

export const tokenOnlySchema = z.object({ token: authTokenSchema });

export const resetPasswordSchema = secondFactorSchema.extend({
  token: authTokenSchema,
  password: passwordSchema,
});
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

export const changePasswordSchema = z.object({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const changeEmailSchema = z.object({ newEmail: emailSchema });

export const reauthenticateSchema = secondFactorSchema.extend({ password: passwordSchema });
export type ReauthenticateInput = z.infer<typeof reauthenticateSchema>;

/** The password is required when the account has one (not for provider-only accounts). */
export const deleteAccountSchema = z.object({ password: passwordSchema.optional() });
export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;

/**
 * Body of `PATCH /v1/me`: an allow-list. Anything else (role, orgId, userId, email, ...) is
 * dropped by the parser and never reaches the service (SECURITY.md 20).
 */
export const updateProfileSchema = z.object({ name: userNameSchema });
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;
