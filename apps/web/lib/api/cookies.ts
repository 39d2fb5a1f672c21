/** Double-submit CSRF cookie set by the api next to the session cookies (readable by scripts). */
export const CSRF_COOKIE = '__Host-sy_csrf';
/** The header the api compares with the CSRF cookie on cookie-authenticated unsafe requests. */
export const CSRF_HEADER = 'x-csrf-token';

/** The value of cookie `name` in a `document.cookie` style string, or null when absent. */
export function readCookie(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}
