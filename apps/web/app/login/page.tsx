import type { Metadata } from 'next';
import { LoginForm } from '@/components/auth/login-form';
import { readSearchParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Log in' };

const NOTICES: Record<string, string> = {
  'password-reset': 'Your password was changed. Log in with the new one.',
  'email-verified': 'Your email address is confirmed. Log in to continue.',
  'account-deleted': 'Your account was deleted.',
  'signed-out': 'You were logged out on every device.',
};

/** `?oauthError=<reason>` from the api's OAuth callback when a provider sign-in was refused. */
const OAUTH_ERRORS: Record<string, string> = {
  account_exists:
    'An account with this e-mail address already exists. Log in with your password; you can sign in with the provider once both sides have verified the address.',
  email_missing:
    'The provider did not share a verified e-mail address, so we could not sign you in.',
  access_denied: 'The sign-in was cancelled at the provider.',
  provider_unavailable: 'The sign-in provider could not be reached. Try again in a moment.',
  account_unavailable: 'This account is no longer available.',
};
const OAUTH_FALLBACK =
  'Signing in with the provider did not work. Try again, or log in with your password.';

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const next = await readSearchParam(searchParams, 'next');
  const notice = await readSearchParam(searchParams, 'notice');
  const oauthError = await readSearchParam(searchParams, 'oauthError');
  const message = oauthError
    ? (OAUTH_ERRORS[oauthError] ?? OAUTH_FALLBACK)
    : notice
      ? (NOTICES[notice] ?? null)
      : null;
  return <LoginForm next={next} notice={message} noticeTone={oauthError ? 'error' : 'info'} />;
}
