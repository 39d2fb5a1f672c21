import { AppError } from '@switchyard/shared';

/** Longest key accepted, in UTF-8 bytes (S3's limit). */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** Longest single path segment, in UTF-8 bytes (the usual file-name limit). */
const MAX_SEGMENT_BYTES = 255;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function invalidKey(message: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    message: `Invalid storage key: ${message}`,
    details: { errors: [{ path: 'key', message }] },
  });
}

function checkSegments(segments: string[], allowPartialLast: boolean): void {
  segments.forEach((segment, index) => {
    const isLast = index === segments.length - 1;
    if (segment === '' && !(isLast && allowPartialLast)) {
      throw invalidKey('empty path segment');
    }
    if (segment === '.' || segment === '..') throw invalidKey('"." and ".." are not allowed');
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw invalidKey('path segment too long');
  });
}

function checkCharacters(value: string): void {
  if (value.length === 0) throw invalidKey('empty key');
  if (Buffer.byteLength(value) > MAX_OBJECT_KEY_BYTES) throw invalidKey('key too long');
  if (value.includes('\\')) throw invalidKey('backslashes are not allowed');
  if (CONTROL_CHARACTERS.test(value)) throw invalidKey('control characters are not allowed');
  if (value.startsWith('/')) throw invalidKey('absolute paths are not allowed');
  if (/^[A-Za-z]:/.test(value)) throw invalidKey('drive letters are not allowed');
}

function checkOrgScope(segments: string[]): void {
  if (segments[0] !== 'orgs' || !segments[1] || segments.length < 3) {
    throw invalidKey('keys must start with orgs/<orgId>/');
  }
}

/**
 * Throws `VALIDATION_FAILED` unless `key` is a safe, org-scoped object key:
 * `orgs/<orgId>/<path>` with no empty, `.` or `..` segment, no backslash, NUL or other
 * control character, no leading slash or drive letter.
 */
export function assertValidObjectKey(key: string): void {
  checkCharacters(key);
  const segments = key.split('/');
  checkSegments(segments, false);
  checkOrgScope(segments);
}

/** Like {@link assertValidObjectKey}, but the last segment may be partial or empty. */
export function assertValidObjectPrefix(prefix: string): void {
  checkCharacters(prefix);
  const segments = prefix.split('/');
  checkSegments(segments, true);
  checkOrgScope(segments);
}

/** The key of `path` (relative, `/`-separated) in the org's own space. */
export function orgObjectKey(orgId: string, path: string): string {
  if (orgId.includes('/')) throw invalidKey('org ids cannot contain "/"');
  const key = `orgs/${orgId}/${path}`;
  assertValidObjectKey(key);
  return key;
}

/** The prefix under which every object of the org lives. */
export function orgObjectPrefix(orgId: string): string {
  if (orgId.includes('/')) throw invalidKey('org ids cannot contain "/"');
  const prefix = `orgs/${orgId}/`;
  assertValidObjectPrefix(prefix);
  return prefix;
}
