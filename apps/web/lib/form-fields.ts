import { z } from 'zod';

/** Field rules shared by several forms; the api checks them again (and more). */

export const emailField = z
  .string()
  .trim()
  .min(1, 'Enter your email address')
  .pipe(z.email('Enter a valid email address, like name@example.com'));

/** The api's rule: 8 to 1024 characters (common passwords are refused by the api itself). */
export const newPasswordField = z
  .string()
  .min(8, 'Use at least 8 characters')
  .max(1024, 'Use at most 1024 characters');

/** A 6-digit authenticator code; spaces people type between digit groups are dropped. */
export const totpCodeField = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'));
