import { randomBytes } from 'node:crypto';
import { generateSecretToken } from '../crypto';

/** Every key starts with this, so leaked keys are recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'sy_';

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const PREFIX_LENGTH = 8;
const SECRET_BYTES = 32;

// sy_<8 base32 chars>_<43 base64url chars (256 bits)>
const KEY_PATTERN = /^sy_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;

/** A new key: its public prefix (identifies it, safe to show) and the full key (shown once). */
export function generateApiKey(): { prefix: string; key: string } {
  const bytes = randomBytes(PREFIX_LENGTH);
  let prefix = '';
  for (const byte of bytes) prefix += PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length];
  return { prefix, key: `${API_KEY_PREFIX}${prefix}_${generateSecretToken(SECRET_BYTES)}` };
}

/** The prefix of a well-formed key, or null for anything else. */
export function parseApiKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  const prefix = match?.[1];
  return prefix ? { prefix } : null;
}

/** True when a bearer credential looks like an API key rather than a JWT. */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}
