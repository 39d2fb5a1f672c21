import { describe, expect, it } from 'vitest';
import { readCookie } from './cookies';

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; __Host-sy_csrf=abc%3D%3D; b=2', '__Host-sy_csrf')).toBe('abc==');
  });

  it('does not match a cookie whose name only ends with the wanted name', () => {
    expect(readCookie('x__Host-sy_csrf=evil', '__Host-sy_csrf')).toBeNull();
  });

  it('returns null when the cookie is absent or the string is empty', () => {
    expect(readCookie('', 'a')).toBeNull();
    expect(readCookie('b=1', 'a')).toBeNull();
  });

  it('keeps a value that is not valid percent-encoding as it is', () => {
    expect(readCookie('a=%E0%A4%A', 'a')).toBe('%E0%A4%A');
  });
});
