'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { FormError } from '@/components/forms/form-error';
import { Button } from '@/components/ui/button';
import { ME_QUERY_KEY, useMe } from '@/hooks/use-me';
import { ORGS_QUERY_KEY } from '@/hooks/use-orgs';
import { describeError } from '@/lib/api/api-error';
import { acceptInvitation } from '@/lib/api/orgs';

/**
 * Accepting needs a signed-in user whose verified address is the invited one, so anyone else is
 * asked to log in (or sign up) first and comes back here afterwards.
 */
export function AcceptInvitation({ token }: { token: string | null }) {
  const me = useMe();
  const router = useRouter();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (value: string) => acceptInvitation(value),
    onSuccess: async ({ orgId }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ORGS_QUERY_KEY }),
        queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
      ]);
      router.push(`/orgs/${orgId}/settings`);
    },
  });

  if (token === null) {
    return (
      <AuthCard
        title="This link is incomplete"
        description="Open the link from the invitation e-mail again, or ask for a new invitation."
      >
        <Button asChild variant="outline">
          <Link href="/">Go to the home page</Link>
        </Button>
      </AuthCard>
    );
  }
  if (me.isPending) {
    return (
      <AuthCard title="Join an organisation">
        <div className="h-9 animate-pulse rounded-md bg-muted" aria-label="Loading" />
      </AuthCard>
    );
  }
  const here = `/invitations/accept?token=${encodeURIComponent(token)}`;
  if (!me.data) {
    return (
      <AuthCard
        title="Join an organisation"
        description="Log in with the invited email address to accept. No account yet? Sign up with that address, confirm it, then open the invitation link again."
      >
        <div className="grid gap-2 sm:grid-cols-2">
          <Button asChild>
            <Link href={`/login?next=${encodeURIComponent(here)}`}>Log in</Link>
          </Button>
          <Button asChild variant="outline">
            <Link href="/signup">Sign up</Link>
          </Button>
        </div>
      </AuthCard>
    );
  }
  const { user } = me.data;
  return (
    <AuthCard
      title="Join an organisation"
      description={
        <>
          You are logged in as <strong className="text-foreground">{user.email}</strong>. The
          invitation must be for this address, and the address must be confirmed.
        </>
      }
    >
      <FormError message={mutation.isError ? describeError(mutation.error) : null} />
      <Button
        disabled={mutation.isPending || mutation.isSuccess}
        onClick={() => mutation.mutate(token)}
      >
        Accept invitation
      </Button>
    </AuthCard>
  );
}
