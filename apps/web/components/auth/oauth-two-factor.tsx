'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { TwoFactorForm } from '@/components/auth/two-factor-form';
import { Button } from '@/components/ui/button';
import { ME_QUERY_KEY } from '@/hooks/use-me';
import { toSafeRedirect } from '@/lib/safe-redirect';

export function OAuthTwoFactor({
  challengeToken,
  next,
}: {
  challengeToken: string | null;
  next: string | null;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  if (!challengeToken) {
    return (
      <AuthCard
        title="This link is incomplete"
        description="The sign-in attempt it belonged to is missing. Start again from the login page."
      >
        <Button asChild>
          <Link href="/login">Go to login</Link>
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Two-factor authentication"
      description="One more step: confirm it’s you with your second factor."
    >
      <TwoFactorForm
        challengeToken={challengeToken}
        onSuccess={async () => {
          await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
          router.replace(toSafeRedirect(next));
        }}
      />
    </AuthCard>
  );
}
