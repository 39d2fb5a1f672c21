import { describe, expect, it } from 'vitest';
import { createId, createToken, isUuid } from './ids';

describe('ids', () => {
  it('creates distinct UUIDs', () => {
    const a = createId();
    expect(isUuid(a)).toBe(true);
    expect(createId()).not.toBe(a);
    expect(isUuid('not-a-uuid')).toBe(false);
  });

  it('creates prefixed tokens with at least 256 bits of randomness', () => {
    const token = createToken('sk');
    expect(token).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
  });
});
