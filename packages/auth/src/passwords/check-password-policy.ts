import { AppError } from '@switchyard/shared';
import commonPasswords from './common-passwords.json';

/** SECURITY.md 2 / ASVS 6.2.1: at least 8 characters (15 recommended to users). */
export const MIN_PASSWORD_LENGTH = 8;
/**
 * Long passphrases are accepted whole, never truncated; the cap only stops a request from making
 * the server hash megabytes.
 */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * The 10,000 most common passwords of 8 characters or more (shorter ones fail the length rule
 * anyway), lowercased. Taken from the frequency-ranked list of @zxcvbn-ts/language-common (MIT,
 * see common-passwords.LICENSE.txt), which is built from leaked-password corpora.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(commonPasswords);

/** Why `password` is not acceptable, or null when it is. */
export function findPasswordProblem(
  password: string,
  context: { email?: string } = {},
): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters (15 or more is better).`;
  }
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) {
    return 'This password is one of the most commonly used ones; choose another.';
  }
  if (context.email !== undefined) {
    const email = context.email.trim().toLowerCase();
    const localPart = email.split('@')[0] ?? '';
    if (lowered === email || lowered === localPart) {
      return 'The password must not be your e-mail address.';
    }
  }
  return null;
}

/** Throws VALIDATION_FAILED naming `field` when the password breaks the policy. */
export function assertPasswordPolicy(
  password: string,
  context: { email?: string; field?: string } = {},
): void {
  const problem = findPasswordProblem(password, context);
  if (problem === null) return;
  const path = context.field ?? 'password';
  throw new AppError('VALIDATION_FAILED', {
    message: problem,
    details: { errors: [{ path, message: problem }] },
  });
}
