/**
 * Whether the user is a platform admin: their e-mail is in `PLATFORM_ADMIN_EMAILS` (lowercased)
 * and verified, so that signing up with an operator's address proves nothing.
 */
export function isPlatformAdmin(
  user: { email: string; emailVerified: boolean },
  emails: ReadonlySet<string>,
): boolean {
  return user.emailVerified && emails.has(user.email.toLowerCase());
}
