'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { AuthCard } from '@/components/auth/auth-card';
import { OAuthButtons } from '@/components/auth/oauth-buttons';
import { ResendVerificationButton } from '@/components/auth/resend-verification-button';
import { TwoFactorForm } from '@/components/auth/two-factor-form';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { ME_QUERY_KEY } from '@/hooks/use-me';
import { isApiError } from '@/lib/api/api-error';
import { logIn } from '@/lib/api/auth';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { emailField } from '@/lib/form-fields';
import { toSafeRedirect } from '@/lib/safe-redirect';

const loginSchema = z.object({
  email: emailField,
  password: z.string().min(1, 'Enter your password'),
});
type LoginValues = z.infer<typeof loginSchema>;

/** Email + password, then the second factor when the account has one. */
export function LoginForm({
  next,
  notice,
  noticeTone = 'info',
}: {
  next: string | null;
  notice?: string | null;
  noticeTone?: 'info' | 'error';
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const destination = toSafeRedirect(next);
  const [challengeToken, setChallengeToken] = useState<string | null>(null);

  const finish = async () => {
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    router.replace(destination);
  };

  const form = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
    defaultValues: { email: '', password: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: LoginValues) => logIn(values),
    onSuccess: async (result) => {
      if (result.status === 'two_factor_required') {
        setChallengeToken(result.challengeToken);
        return;
      }
      await finish();
    },
    onError: (error) => applyApiError(form, error),
  });
  const { errors } = form.formState;

  if (challengeToken !== null) {
    return (
      <AuthCard
        title="Two-factor authentication"
        description="Your account is protected with a second factor."
      >
        <TwoFactorForm challengeToken={challengeToken} onSuccess={finish} />
        <Button
          variant="ghost"
          onClick={() => {
            setChallengeToken(null);
            form.resetField('password');
          }}
        >
          Back to login
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Log in"
      description="Welcome back. Log in to your Switchyard account."
      footer={
        <>
          New to Switchyard?{' '}
          <Link href="/signup" className="font-medium text-foreground underline underline-offset-4">
            Create an account
          </Link>
        </>
      }
    >
      {notice && noticeTone === 'error' ? <FormError message={notice} /> : null}
      {notice && noticeTone === 'info' ? (
        <p role="status" className="rounded-md bg-muted px-3 py-2 text-sm">
          {notice}
        </p>
      ) : null}
      <form
        noValidate
        className="grid gap-4"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          error={errors.email?.message}
          {...form.register('email')}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          labelAside={
            <Link
              href="/forgot-password"
              className="text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
            >
              Forgot password?
            </Link>
          }
          error={errors.password?.message}
          {...form.register('password')}
        />
        <FormError message={readFormError(form)} />
        {isApiError(mutation.error) && mutation.error.reason === 'email_not_verified' ? (
          <ResendVerificationButton email={mutation.variables?.email ?? ''} />
        ) : null}
        <SubmitButton
          isPending={mutation.isPending || mutation.isSuccess}
          pendingLabel="Logging in…"
        >
          Log in
        </SubmitButton>
      </form>
      <OAuthButtons redirectTo={destination} />
    </AuthCard>
  );
}
