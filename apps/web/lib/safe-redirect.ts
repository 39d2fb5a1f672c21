/**
 * A `next` parameter made safe to navigate to: only a same-site path (`/account`), never an
 * absolute or protocol-relative URL (`//evil.test`) that would make the login page an open
 * redirect.
 */
export function toSafeRedirect(next: string | null | undefined, fallback = '/account'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  try {
    const url = new URL(next, 'http://relative.invalid');
    if (url.origin !== 'http://relative.invalid') return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
