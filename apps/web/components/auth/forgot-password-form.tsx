'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { MailCheck } from 'lucide-react';
import Link from 'next/link';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { AuthCard } from '@/components/auth/auth-card';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { requestPasswordReset } from '@/lib/api/auth';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { emailField } from '@/lib/form-fields';

const forgotSchema = z.object({ email: emailField });
type ForgotValues = z.infer<typeof forgotSchema>;

export function ForgotPasswordForm() {
  const form = useForm<ForgotValues>({
    resolver: zodResolver(forgotSchema),
    defaultValues: { email: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: ForgotValues) => requestPasswordReset(values),
    onError: (error) => applyApiError(form, error),
  });

  const footer = (
    <>
      Remembered it?{' '}
      <Link href="/login" className="font-medium text-foreground underline underline-offset-4">
        Log in
      </Link>
    </>
  );

  if (mutation.isSuccess) {
    return (
      <AuthCard title="Check your inbox" footer={footer}>
        <Alert>
          <MailCheck />
          <AlertDescription>
            If an account uses {mutation.variables.email}, we sent it a link to choose a new
            password. The link works once, for 10 minutes.
          </AlertDescription>
        </Alert>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Reset your password"
      description="Enter the email address of your account and we’ll send you a link."
      footer={footer}
    >
      <form
        noValidate
        className="grid gap-4"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          error={form.formState.errors.email?.message}
          {...form.register('email')}
        />
        <FormError message={readFormError(form)} />
        <SubmitButton isPending={mutation.isPending} pendingLabel="Sending…">
          Send reset link
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
