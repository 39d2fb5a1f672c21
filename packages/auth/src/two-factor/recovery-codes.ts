import { randomInt } from 'node:crypto';
import { hashToken } from '../crypto';

export const RECOVERY_CODE_COUNT = 10;

// No 0/o, 1/i/l: a code is read off paper and typed in.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * Codes like `k7mq-3xwp-9cha-rt2v`: 16 characters from 31, about 79 bits each from the CSPRNG,
 * so a fast hash (`hashRecoveryCode`) is enough to store them.
 */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: GROUPS }, () =>
      Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/** Case, spaces and dashes do not matter when a code is typed back in. */
function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return hashToken(normalizeRecoveryCode(code));
}
