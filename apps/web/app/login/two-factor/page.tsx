import type { Metadata } from 'next';
import { OAuthTwoFactor } from '@/components/auth/oauth-two-factor';
import { readSearchParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Two-factor authentication' };

/** Where an OAuth login lands when the account has a second factor (`?challenge=`). */
export default async function TwoFactorPage({ searchParams }: { searchParams: SearchParams }) {
  const challenge = await readSearchParam(searchParams, 'challenge');
  // The api's OAuth callback passes where to go afterwards as `redirectTo`.
  const next =
    (await readSearchParam(searchParams, 'redirectTo')) ??
    (await readSearchParam(searchParams, 'next'));
  return <OAuthTwoFactor challengeToken={challenge} next={next} />;
}
