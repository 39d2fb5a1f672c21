import { describe, expect, it } from 'vitest';
import { isAppError } from '@switchyard/shared';
import { parseRedirectTo } from './parse-redirect-to';

function refusal(value: string): unknown {
  try {
    parseRedirectTo(value);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseRedirectTo', () => {
  it('defaults to the home page', () => {
    expect(parseRedirectTo(undefined)).toBe('/');
    expect(parseRedirectTo('')).toBe('/');
  });

  it('keeps a path with its query and fragment', () => {
    expect(parseRedirectTo('/orgs/42/settings?tab=members#keys')).toBe(
      '/orgs/42/settings?tab=members#keys',
    );
  });

  it.each([
    'https://evil.example/',
    'http://evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '@evil.example',
    '/\tevil',
    `/${'a'.repeat(2_100)}`,
  ])('refuses %j as an open redirect', (value) => {
    const error = refusal(value);

    expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps percent-encoded characters as inert text of the path', () => {
    expect(parseRedirectTo('/search?q=%2F%2Fevil%0a')).toBe('/search?q=%2F%2Fevil%0a');
  });
});
