'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { MailCheck } from 'lucide-react';
import Link from 'next/link';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { AuthCard } from '@/components/auth/auth-card';
import { OAuthButtons } from '@/components/auth/oauth-buttons';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { signUp } from '@/lib/api/auth';
import { getDevMailbox } from '@/lib/api/dev-mailbox';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { emailField, newPasswordField } from '@/lib/form-fields';

const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
  email: emailField,
  password: newPasswordField,
});
type SignUpValues = z.infer<typeof signUpSchema>;

export function SignUpForm() {
  const form = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: '', email: '', password: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: SignUpValues) => signUp(values),
    onError: (error) => applyApiError(form, error),
  });
  const { errors } = form.formState;

  if (mutation.isSuccess) {
    return <CheckYourInbox email={mutation.variables.email} />;
  }

  return (
    <AuthCard
      title="Create your account"
      description="Start a workspace for your agent teams."
      footer={
        <>
          Already have an account?{' '}
          <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
            Log in
          </Link>
        </>
      }
    >
      <form
        noValidate
        className="grid gap-4"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="Name"
          autoComplete="name"
          error={errors.name?.message}
          {...form.register('name')}
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...form.register('email')}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters; a long passphrase is best."
          error={errors.password?.message}
          {...form.register('password')}
        />
        <FormError message={readFormError(form)} />
        <SubmitButton isPending={mutation.isPending} pendingLabel="Creating account…">
          Create account
        </SubmitButton>
      </form>
      <OAuthButtons redirectTo="/account" />
    </AuthCard>
  );
}

function CheckYourInbox({ email }: { email: string }) {
  const mailbox = useQuery({ queryKey: ['dev-mailbox'], queryFn: () => getDevMailbox() });
  return (
    <AuthCard
      title="Check your inbox"
      description={
        <>
          We sent a confirmation link to <strong className="text-foreground">{email}</strong>. It
          works for 10 minutes.
        </>
      }
      footer={
        <>
          Confirmed already?{' '}
          <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
            Log in
          </Link>
        </>
      }
    >
      <Alert>
        <MailCheck />
        <AlertTitle>Open the link in the e-mail to finish signing up</AlertTitle>
        <AlertDescription>
          No e-mail after a few minutes? Check your spam folder, or log in to send a new link.
        </AlertDescription>
      </Alert>
      {mailbox.data?.enabled ? (
        <Button asChild variant="outline">
          <Link href="/dev/mailbox">Open the dev mailbox</Link>
        </Button>
      ) : null}
    </AuthCard>
  );
}
