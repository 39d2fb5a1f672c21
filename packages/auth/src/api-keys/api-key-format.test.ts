import { describe, expect, it } from 'vitest';
import { generateApiKey, looksLikeApiKey, parseApiKey } from './api-key-format';

describe('generateApiKey / parseApiKey', () => {
  it('generates sy_<8-char prefix>_<256-bit secret> keys that parse back to their prefix', () => {
    const keys = Array.from({ length: 50 }, () => generateApiKey());

    for (const { prefix, key } of keys) {
      expect(key).toMatch(/^sy_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
      expect(parseApiKey(key)).toEqual({ prefix });
      expect(looksLikeApiKey(key)).toBe(true);
    }
    expect(new Set(keys.map((entry) => entry.key)).size).toBe(50);
  });

  it('parses nothing but a well-formed key', () => {
    const { key } = generateApiKey();

    for (const bad of [
      '',
      'sy_',
      key.slice(0, -1),
      `${key}A`,
      key.replace('sy_', 'sk_'),
      key.toUpperCase(),
      ` ${key}`,
      'eyJhbGciOiJFUzI1NiJ9.e30.sig',
    ]) {
      expect(parseApiKey(bad), bad).toBeNull();
    }
    expect(looksLikeApiKey('eyJhbGciOiJFUzI1NiJ9.e30.sig')).toBe(false);
  });
});
