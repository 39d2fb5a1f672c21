import { describe, expect, it } from 'vitest';
import {
  assertValidObjectKey,
  assertValidObjectPrefix,
  orgObjectKey,
  orgObjectPrefix,
} from './object-key';

describe('assertValidObjectKey', () => {
  it.each([
    'orgs/org-1/notes.txt',
    'orgs/org-1/files/reports/2025 summary.md',
    'orgs/0b1e/ünïcode/файл.txt',
  ])('accepts %s', (key) => {
    expect(() => assertValidObjectKey(key)).not.toThrow();
  });

  it.each([
    ['parent segments', 'orgs/org-1/../org-2/secret.txt'],
    ['a trailing parent segment', 'orgs/org-1/files/..'],
    ['current-folder segments', 'orgs/org-1/./a.txt'],
    ['absolute paths', '/orgs/org-1/a.txt'],
    ['backslashes', 'orgs/org-1/..\\..\\etc\\passwd'],
    ['NUL bytes', 'orgs/org-1/a.txt\u0000.png'],
    ['other control characters', 'orgs/org-1/a\nb.txt'],
    ['empty segments', 'orgs/org-1//a.txt'],
    ['trailing slashes', 'orgs/org-1/folder/'],
    ['keys outside orgs/', 'users/u-1/a.txt'],
    ['a key that is only the org folder', 'orgs/org-1'],
    ['a missing org id', 'orgs//a.txt'],
    ['drive letters', 'C:/orgs/org-1/a.txt'],
    ['the empty key', ''],
    ['over-long keys', `orgs/org-1/${'a/'.repeat(600)}a`],
  ])('refuses %s', (_label, key) => {
    expect(() => assertValidObjectKey(key)).toThrow(/Invalid storage key/);
  });
});

describe('assertValidObjectPrefix', () => {
  it('accepts an org folder and a partial last segment', () => {
    expect(() => assertValidObjectPrefix('orgs/org-1/')).not.toThrow();
    expect(() => assertValidObjectPrefix('orgs/org-1/files/rep')).not.toThrow();
  });

  it('refuses prefixes that are not inside one org', () => {
    expect(() => assertValidObjectPrefix('orgs/')).toThrow(/Invalid storage key/);
    expect(() => assertValidObjectPrefix('orgs/org-1/../')).toThrow(/Invalid storage key/);
  });
});

describe('orgObjectKey', () => {
  it('places a relative path inside the org folder', () => {
    expect(orgObjectKey('org-1', 'files/a.txt')).toBe('orgs/org-1/files/a.txt');
    expect(orgObjectPrefix('org-1')).toBe('orgs/org-1/');
  });

  it('refuses a path that would leave the org folder', () => {
    expect(() => orgObjectKey('org-1', '../org-2/a.txt')).toThrow(/Invalid storage key/);
    expect(() => orgObjectKey('../x', 'a.txt')).toThrow(/Invalid storage key/);
    expect(() => orgObjectKey('org-1/files', 'a.txt')).toThrow(/Invalid storage key/);
  });
});
