'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useWithReauth } from '@/components/account/reauth-provider';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { deleteAccount } from '@/lib/api/account';
import type { User } from '@/lib/api/schemas';
import { applyApiError, readFormError } from '@/lib/apply-api-error';

const deleteSchema = z.object({ password: z.string(), code: z.string().trim() });
type DeleteValues = z.infer<typeof deleteSchema>;

export function DeleteAccountSection({ user }: { user: User }) {
  const [isOpen, setIsOpen] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const withReauth = useWithReauth();
  const form = useForm<DeleteValues>({
    resolver: zodResolver(deleteSchema),
    defaultValues: { password: '', code: '' },
  });
  const mutation = useMutation({
    mutationFn: ({ password, code }: DeleteValues) =>
      withReauth(() =>
        deleteAccount({
          ...(user.hasPassword ? { password } : {}),
          ...(code ? { code } : {}),
        }),
      ),
    onSuccess: () => {
      queryClient.clear();
      router.push('/login?notice=account-deleted');
    },
    onError: (error) => applyApiError(form, error),
  });
  return (
    <SettingsSection
      id="delete-account"
      tone="danger"
      title="Delete account"
      description="Deletes your account, your personal organisation and your memberships. This cannot be undone."
    >
      <Dialog open={isOpen} onOpenChange={setIsOpen}>
        <DialogTrigger asChild>
          <Button variant="destructive" className="justify-self-start">
            Delete my account
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete your account?</DialogTitle>
            <DialogDescription>
              If you are the only owner of a shared organisation, transfer it first.
              {user.hasPassword ? ' Enter your password to confirm.' : ''}
            </DialogDescription>
          </DialogHeader>
          <form
            noValidate
            className="grid gap-4"
            onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
          >
            {user.hasPassword ? (
              <TextField
                label="Password"
                type="password"
                autoComplete="current-password"
                error={form.formState.errors.password?.message}
                {...form.register('password')}
              />
            ) : null}
            {user.twoFactorEnabled ? (
              <TextField
                label="Authentication code"
                inputMode="numeric"
                autoComplete="one-time-code"
                hint="A code from your authenticator app, or a recovery code."
                error={form.formState.errors.code?.message}
                {...form.register('code')}
              />
            ) : null}
            <FormError message={readFormError(form)} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setIsOpen(false)}>
                Cancel
              </Button>
              <SubmitButton
                variant="destructive"
                isPending={mutation.isPending}
                pendingLabel="Deleting…"
              >
                Delete forever
              </SubmitButton>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </SettingsSection>
  );
}
