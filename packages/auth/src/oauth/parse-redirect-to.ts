import { AppError } from '@switchyard/shared';

const MAX_REDIRECT_LENGTH = 2_048;
const PLACEHOLDER_ORIGIN = 'https://switchyard.invalid';

/**
 * Open-redirect guard: `redirectTo` must be a path on our own site (`/orgs/1?tab=x`). Absolute
 * URLs, protocol-relative `//host`, backslashes (browsers read `/\host` as `//host`), control
 * characters and anything that resolves to another origin are refused. Missing means `/`.
 */
export function parseRedirectTo(value: string | undefined): string {
  if (value === undefined || value === '') return '/';
  const refuse = () =>
    new AppError('VALIDATION_FAILED', {
      message: 'redirectTo must be a path on this site, such as /account.',
      details: { errors: [{ path: 'redirectTo', message: 'must be a relative path' }] },
    });
  if (
    value.length > MAX_REDIRECT_LENGTH ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\') ||
    // eslint-disable-next-line no-control-regex -- control characters are what we refuse
    /[\u0000-\u001f\u007f]/.test(value)
  ) {
    throw refuse();
  }
  const resolved = new URL(value, PLACEHOLDER_ORIGIN);
  if (resolved.origin !== PLACEHOLDER_ORIGIN) throw refuse();
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
