'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, LoaderCircle } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { AuthCard } from '@/components/auth/auth-card';
import { FormError } from '@/components/forms/form-error';
import { Button } from '@/components/ui/button';
import { ME_QUERY_KEY, useMe } from '@/hooks/use-me';
import { describeError } from '@/lib/api/api-error';
import { verifyEmail } from '@/lib/api/auth';

/**
 * Confirms the address as soon as the page opens. The token is spent by a POST from this page's
 * script, so mail scanners that merely fetch the link cannot use it up.
 */
export function VerifyEmail({ token }: { token: string | null }) {
  const queryClient = useQueryClient();
  const me = useMe();
  const mutation = useMutation({
    mutationFn: (value: string) => verifyEmail(value),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
  const started = useRef(false);
  const { mutate } = mutation;
  useEffect(() => {
    if (token === null || started.current) return;
    started.current = true;
    mutate(token);
  }, [token, mutate]);

  if (token === null) {
    return (
      <AuthCard
        title="This link is incomplete"
        description="Open the link from the e-mail again, or copy it whole into the address bar."
      >
        <Button asChild variant="outline">
          <Link href="/login">Go to login</Link>
        </Button>
      </AuthCard>
    );
  }
  if (mutation.isError) {
    return (
      <AuthCard title="We could not confirm your email">
        <FormError message={describeError(mutation.error)} />
        <p className="text-sm text-muted-foreground">
          Links work once and for 10 minutes. Log in to send yourself a new one.
        </p>
        <Button asChild>
          <Link href="/login">Go to login</Link>
        </Button>
      </AuthCard>
    );
  }
  if (mutation.isSuccess) {
    const signedIn = Boolean(me.data);
    return (
      <AuthCard
        title={mutation.data === 'change_email' ? 'Email address changed' : 'Email confirmed'}
      >
        <p className="flex items-center gap-2 text-sm" role="status">
          <CircleCheck className="size-5 text-success" aria-hidden="true" />
          {mutation.data === 'change_email'
            ? 'Your account now uses the new address. Log in with it from now on.'
            : 'Your email address is confirmed. Thanks!'}
        </p>
        <Button asChild>
          {signedIn ? (
            <Link href="/account">Go to your account</Link>
          ) : (
            <Link href="/login?notice=email-verified">Log in</Link>
          )}
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Confirming your email…">
      <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
        <LoaderCircle className="size-4 animate-spin" aria-hidden="true" />
        One moment.
      </p>
    </AuthCard>
  );
}
