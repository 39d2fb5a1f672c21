import { randomBytes, randomUUID } from 'node:crypto';

/** A random UUID v4, for primary keys and request ids. */
export function createId(): string {
  return randomUUID();
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * A prefixed, URL-safe random token (for example `sk_live_…`). `bytes` of CSPRNG output,
 * 32 by default (256 bits).
 */
export function createToken(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
