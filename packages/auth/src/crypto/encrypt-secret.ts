import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Fixed salt and info: the key only has to differ from other uses of AUTH_SECRET, and the
// version prefix lets a future format change them.
const HKDF_SALT = 'switchyard:secret-encryption';
const HKDF_INFO = 'aes-256-gcm:v1';

const derivedKeys = new Map<string, Buffer>();

function deriveKey(authSecret: string): Buffer {
  let key = derivedKeys.get(authSecret);
  if (!key) {
    if (authSecret.length < 32) throw new RangeError('AUTH_SECRET must be at least 32 characters');
    key = Buffer.from(hkdfSync('sha256', authSecret, HKDF_SALT, HKDF_INFO, 32));
    derivedKeys.set(authSecret, key);
  }
  return key;
}

/**
 * AES-256-GCM with a key derived from `authSecret` (HKDF-SHA-256) and a random IV. Output:
 * `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export function encryptSecret(plaintext: string, authSecret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(authSecret), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, data].map((part) => part.toString('base64url')).join('.');
}

/** Reverses `encryptSecret`; throws when the value was tampered with or the secret differs. */
export function decryptSecret(ciphertext: string, authSecret: string): string {
  const parts = ciphertext.split('.');
  const [version, iv, tag, data] = parts;
  if (parts.length !== 4 || version !== VERSION || !iv || !tag || data === undefined) {
    throw new Error('not an encrypted secret (expected v1.<iv>.<tag>.<data>)');
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new Error('encrypted secret has a malformed iv or tag');
  }
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(authSecret), ivBytes, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}
