'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { AuthCard } from '@/components/auth/auth-card';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { isApiError } from '@/lib/api/api-error';
import { resetPassword } from '@/lib/api/auth';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { newPasswordField } from '@/lib/form-fields';

const resetSchema = z
  .object({
    password: newPasswordField,
    confirmPassword: z.string(),
    code: z.string().trim(),
  })
  .refine((values) => values.password === values.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two passwords do not match',
  });
type ResetValues = z.infer<typeof resetSchema>;

/** Codes look like `123456` (authenticator) or anything else (a recovery code). */
const isTotpCode = (value: string) => /^\d{6}$/.test(value.replace(/\s+/g, ''));

export function ResetPasswordForm({ token }: { token: string | null }) {
  const router = useRouter();
  // A reset never bypasses the second factor: the api says when it wants one.
  const [needsSecondFactor, setNeedsSecondFactor] = useState(false);
  const form = useForm<ResetValues>({
    resolver: zodResolver(resetSchema),
    defaultValues: { password: '', confirmPassword: '', code: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: ResetValues) => {
      const code = values.code.replace(/\s+/g, '');
      const secondFactor =
        code.length === 0 ? {} : isTotpCode(code) ? { code } : { recoveryCode: values.code };
      return resetPassword({ token: token ?? '', password: values.password, ...secondFactor });
    },
    onSuccess: () => router.replace('/login?notice=password-reset'),
    onError: (error) => {
      if (isApiError(error) && error.reason === 'two_factor_required' && !needsSecondFactor) {
        setNeedsSecondFactor(true);
        form.setError('code', {
          type: 'server',
          message: 'Your account has two-factor authentication: enter a code to continue',
        });
        return;
      }
      applyApiError(form, error, {
        fieldsByReason: { invalid_two_factor_code: 'code', two_factor_required: 'code' },
      });
    },
  });
  const { errors } = form.formState;

  if (token === null) {
    return (
      <AuthCard
        title="This link is incomplete"
        description="Open the link from the e-mail again, or ask for a new one."
      >
        <Button asChild>
          <Link href="/forgot-password">Send a new link</Link>
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Choose a new password"
      description="After the change you are logged out everywhere, and you log in with the new password."
      footer={
        <Link href="/forgot-password" className="underline underline-offset-4">
          Link expired? Send a new one
        </Link>
      }
    >
      <form
        noValidate
        className="grid gap-4"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters; a long passphrase is best."
          error={errors.password?.message}
          {...form.register('password')}
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          error={errors.confirmPassword?.message}
          {...form.register('confirmPassword')}
        />
        {needsSecondFactor ? (
          <TextField
            label="Authentication code or recovery code"
            autoComplete="one-time-code"
            autoFocus
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
            error={errors.code?.message}
            {...form.register('code')}
          />
        ) : null}
        <FormError message={readFormError(form)} />
        <SubmitButton isPending={mutation.isPending} pendingLabel="Saving…">
          Change password
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
