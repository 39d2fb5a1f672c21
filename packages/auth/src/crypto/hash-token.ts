import { createHash, randomBytes } from 'node:crypto';

/**
 * SHA-256 of a token, base64url. Right for tokens that are themselves ≥128-bit CSPRNG values
 * (refresh, e-mail, invitation tokens, API key secrets): there is nothing to brute-force, so a
 * slow password hash would only cost CPU. Never use it for passwords.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** `bytes` of CSPRNG output as base64url; 32 bytes (256 bits) by default. */
export function generateSecretToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16) {
    throw new RangeError(`a secret token needs at least 16 bytes (128 bits), got ${bytes}`);
  }
  return randomBytes(bytes).toString('base64url');
}
