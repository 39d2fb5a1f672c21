import { describe, expect, it } from 'vitest';
import { toSafeRedirect } from './safe-redirect';

describe('toSafeRedirect', () => {
  it('keeps a same-site path with its query', () => {
    expect(toSafeRedirect('/orgs/1/settings?tab=members')).toBe('/orgs/1/settings?tab=members');
  });

  it('refuses absolute and protocol-relative URLs', () => {
    expect(toSafeRedirect('https://evil.test/')).toBe('/account');
    expect(toSafeRedirect('//evil.test/path')).toBe('/account');
    expect(toSafeRedirect('/\\evil.test')).toBe('/account');
    expect(toSafeRedirect('javascript:alert(1)')).toBe('/account');
  });

  it('uses the fallback when there is nothing to go back to', () => {
    expect(toSafeRedirect(null, '/orgs')).toBe('/orgs');
    expect(toSafeRedirect('')).toBe('/account');
  });
});
