/**
 * An absolute link to a web page, built from PUBLIC_URL only: never from the request's Host or
 * X-Forwarded-Host, which an attacker controls (a reset link pointing at their server would hand
 * them the token).
 */
export function buildPublicLink(
  publicUrl: string,
  path: `/${string}`,
  query: Record<string, string> = {},
): string {
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}
