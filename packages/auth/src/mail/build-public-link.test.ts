import { describe, expect, it } from 'vitest';
import { buildPublicLink } from './build-public-link';

describe('buildPublicLink', () => {
  it('joins the public URL, the path and the encoded query', () => {
    expect(buildPublicLink('https://app.example.com/', '/reset-password', { token: 'a+b/c' })).toBe(
      'https://app.example.com/reset-password?token=a%2Bb%2Fc',
    );
  });

  it('keeps a path prefix of the public URL', () => {
    expect(buildPublicLink('https://example.com/switchyard', '/verify-email', { token: 't' })).toBe(
      'https://example.com/switchyard/verify-email?token=t',
    );
  });
});
