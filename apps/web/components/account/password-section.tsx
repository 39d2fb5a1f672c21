'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useWithReauth } from '@/components/account/reauth-provider';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { changePassword } from '@/lib/api/account';
import { logOutEverywhere } from '@/lib/api/auth';
import { describeError } from '@/lib/api/api-error';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { newPasswordField } from '@/lib/form-fields';
import { SESSIONS_QUERY_KEY } from '@/components/account/sessions-section';

const passwordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: newPasswordField,
    confirmPassword: z.string(),
  })
  .refine((values) => values.newPassword === values.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two passwords do not match',
  });
type PasswordValues = z.infer<typeof passwordSchema>;

export function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
  const withReauth = useWithReauth();
  const queryClient = useQueryClient();
  const form = useForm<PasswordValues>({
    resolver: zodResolver(passwordSchema),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const mutation = useMutation({
    mutationFn: ({ currentPassword, newPassword }: PasswordValues) =>
      withReauth(() => changePassword({ currentPassword, newPassword })),
    onSuccess: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY_KEY });
    },
    onError: (error) => applyApiError(form, error),
  });
  const { errors } = form.formState;
  if (!hasPassword) {
    return (
      <SettingsSection
        id="password"
        title="Password"
        description="You sign in through an identity provider and have no password here."
      >
        <p className="text-sm text-muted-foreground">
          To add one, use{' '}
          <Link href="/forgot-password" className="underline underline-offset-4">
            Forgot password
          </Link>{' '}
          with your account’s address: the e-mailed link lets you choose a password.
        </p>
      </SettingsSection>
    );
  }
  return (
    <SettingsSection
      id="password"
      title="Password"
      description="Changing it logs out your other devices."
    >
      {mutation.isSuccess ? <LogOutEverywhereOffer /> : null}
      <form
        noValidate
        className="grid gap-4 sm:max-w-md"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={errors.currentPassword?.message}
          {...form.register('currentPassword')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters; a long passphrase is best."
          error={errors.newPassword?.message}
          {...form.register('newPassword')}
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          error={errors.confirmPassword?.message}
          {...form.register('confirmPassword')}
        />
        <FormError message={readFormError(form)} />
        <SubmitButton
          className="justify-self-start"
          isPending={mutation.isPending}
          pendingLabel="Saving…"
        >
          Change password
        </SubmitButton>
      </form>
    </SettingsSection>
  );
}

/** After a credential change: other sessions ended already; offer to end this one too. */
function LogOutEverywhereOffer() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => logOutEverywhere(),
    onSuccess: () => {
      queryClient.clear();
      router.push('/login?notice=signed-out');
    },
  });
  return (
    <Alert variant="success">
      <AlertTitle>Password changed</AlertTitle>
      <AlertDescription>
        <p>Your other devices were logged out. Log out here as well if you suspect misuse.</p>
        <Button
          variant="outline"
          size="sm"
          disabled={mutation.isPending}
          onClick={() => mutation.mutate()}
        >
          Log out everywhere
        </Button>
        {mutation.isError ? (
          <span className="text-destructive">{describeError(mutation.error)}</span>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}
