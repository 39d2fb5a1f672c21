'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useWithReauth } from '@/components/account/reauth-provider';
import { ResendVerificationButton } from '@/components/auth/resend-verification-button';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
import { ME_QUERY_KEY } from '@/hooks/use-me';
import { changeEmail, updateProfile } from '@/lib/api/account';
import type { User } from '@/lib/api/schemas';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { emailField } from '@/lib/form-fields';

const nameSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
});
const emailSchema = z.object({ newEmail: emailField });

export function ProfileSection({ user }: { user: User }) {
  return (
    <SettingsSection id="profile" title="Profile" description="How you appear to your teammates.">
      <NameForm name={user.name} />
      <div className="grid gap-3 border-t pt-5">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">Email</span>
          <span className="break-all text-muted-foreground" data-testid="account-email">
            {user.email}
          </span>
          {user.emailVerified ? (
            <Badge variant="success">Verified</Badge>
          ) : (
            <Badge variant="warning">Not verified</Badge>
          )}
        </div>
        {user.emailVerified ? null : <ResendVerificationButton email={user.email} />}
        <ChangeEmailForm />
      </div>
    </SettingsSection>
  );
}

function NameForm({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const form = useForm<z.infer<typeof nameSchema>>({
    resolver: zodResolver(nameSchema),
    defaultValues: { name },
  });
  const mutation = useMutation({
    mutationFn: (values: z.infer<typeof nameSchema>) => updateProfile(values),
    onSuccess: async (_result, values) => {
      form.reset(values);
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
    onError: (error) => applyApiError(form, error),
  });
  return (
    <form
      noValidate
      className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <TextField
        label="Name"
        autoComplete="name"
        error={form.formState.errors.name?.message}
        {...form.register('name')}
      />
      <SubmitButton
        variant="outline"
        className="sm:mt-6"
        isPending={mutation.isPending}
        disabled={!form.formState.isDirty}
      >
        Save name
      </SubmitButton>
      <div className="sm:col-span-2">
        <FormError message={readFormError(form)} />
        {mutation.isSuccess && !form.formState.isDirty ? (
          <p role="status" className="text-sm text-success">
            Name saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}

function ChangeEmailForm() {
  const withReauth = useWithReauth();
  const form = useForm<z.infer<typeof emailSchema>>({
    resolver: zodResolver(emailSchema),
    defaultValues: { newEmail: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: z.infer<typeof emailSchema>) => withReauth(() => changeEmail(values)),
    onSuccess: () => form.reset(),
    onError: (error) => applyApiError(form, error),
  });
  return (
    <form
      noValidate
      className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <TextField
        label="New email address"
        type="email"
        autoComplete="email"
        hint="We send a confirmation link to the new address; the change applies once you open it."
        error={form.formState.errors.newEmail?.message}
        {...form.register('newEmail')}
      />
      <SubmitButton
        variant="outline"
        className="sm:mt-6"
        isPending={mutation.isPending}
        pendingLabel="Sending…"
      >
        Change email
      </SubmitButton>
      <div className="sm:col-span-2">
        <FormError message={readFormError(form)} />
        {mutation.isSuccess ? (
          <p role="status" className="text-sm text-success">
            Check the inbox of {mutation.variables.newEmail} for the confirmation link.
          </p>
        ) : null}
      </div>
    </form>
  );
}
