import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, generateSecretToken, hashToken } from './index';

const SECRET = 'a-test-auth-secret-that-is-long-enough-0123456789';

describe('hashToken', () => {
  it('is the base64url SHA-256 of the token', () => {
    // echo -n abc | sha256sum → ba7816bf…
    expect(hashToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('differs for different tokens', () => {
    expect(hashToken('a')).not.toBe(hashToken('b'));
  });
});

describe('generateSecretToken', () => {
  it('returns 32 random bytes as base64url by default', () => {
    const token = generateSecretToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(generateSecretToken()).not.toBe(token);
  });

  it('refuses fewer than 128 bits', () => {
    expect(() => generateSecretToken(15)).toThrow(RangeError);
    expect(Buffer.from(generateSecretToken(16), 'base64url')).toHaveLength(16);
  });
});

describe('encryptSecret / decryptSecret', () => {
  it('round-trips and uses a fresh IV every time', () => {
    const a = encryptSecret('totp-secret ✓', SECRET);
    const b = encryptSecret('totp-secret ✓', SECRET);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, SECRET)).toBe('totp-secret ✓');
    expect(decryptSecret(b, SECRET)).toBe('totp-secret ✓');
  });

  it('round-trips an empty string', () => {
    expect(decryptSecret(encryptSecret('', SECRET), SECRET)).toBe('');
  });

  it('refuses a different secret', () => {
    const value = encryptSecret('x', SECRET);
    expect(() => decryptSecret(value, `${SECRET}-other`)).toThrow();
  });

  it('refuses tampered ciphertext', () => {
    const [version, iv, tag, data] = encryptSecret('hello', SECRET).split('.');
    const flipped = Buffer.from(data ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      decryptSecret([version, iv, tag, flipped.toString('base64url')].join('.'), SECRET),
    ).toThrow();
  });

  it('refuses values that are not in the v1 format', () => {
    expect(() => decryptSecret('plain', SECRET)).toThrow(/v1/);
    expect(() => decryptSecret('v2.a.b.c', SECRET)).toThrow(/v1/);
    expect(() => decryptSecret('v1.AA.AA.AA', SECRET)).toThrow(/malformed/);
  });

  it('refuses an AUTH_SECRET shorter than 32 characters', () => {
    expect(() => encryptSecret('x', 'short')).toThrow(/32/);
  });
});
