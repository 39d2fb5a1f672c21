'use client';

import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/api/api-error';
import { resendVerification } from '@/lib/api/auth';

/** Sends a fresh confirmation link; the api answers the same whether or not the address exists. */
export function ResendVerificationButton({ email }: { email: string }) {
  const mutation = useMutation({ mutationFn: () => resendVerification({ email }) });
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={mutation.isPending || mutation.isSuccess || email === ''}
        onClick={() => mutation.mutate()}
      >
        {mutation.isSuccess ? 'Link sent: check your inbox' : 'Send a new confirmation link'}
      </Button>
      {mutation.isError ? (
        <span className="text-destructive">{describeError(mutation.error)}</span>
      ) : null}
    </div>
  );
}
