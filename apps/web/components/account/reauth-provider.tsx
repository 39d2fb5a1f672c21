'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { useMe } from '@/hooks/use-me';
import { isApiError } from '@/lib/api/api-error';
import { reauthenticate } from '@/lib/api/auth';
import { applyApiError, readFormError } from '@/lib/apply-api-error';

type ReauthContextValue = { requestReauth: () => Promise<boolean> };

const ReauthContext = createContext<ReauthContextValue | null>(null);

const reauthSchema = z.object({
  password: z.string().min(1, 'Enter your password'),
  code: z.string().trim(),
});
type ReauthValues = z.infer<typeof reauthSchema>;

/**
 * Sensitive actions (second factor, e-mail, account deletion) need a recent login; the api
 * answers 401 `reauthentication_required` otherwise. This asks for the password (and code) in a
 * dialog, so the action can be retried without leaving the page.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const pending = useRef<((confirmed: boolean) => void) | null>(null);

  const requestReauth = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        pending.current?.(false);
        pending.current = resolve;
        setIsOpen(true);
      }),
    [],
  );

  const finish = (confirmed: boolean) => {
    pending.current?.(confirmed);
    pending.current = null;
    setIsOpen(false);
  };

  return (
    <ReauthContext.Provider value={{ requestReauth }}>
      {children}
      <Dialog open={isOpen} onOpenChange={(open) => (open ? setIsOpen(true) : finish(false))}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Confirm it’s you</DialogTitle>
            <DialogDescription>
              This change needs a recent login. Enter your password to continue.
            </DialogDescription>
          </DialogHeader>
          {isOpen ? (
            <ReauthForm onDone={() => finish(true)} onCancel={() => finish(false)} />
          ) : null}
        </DialogContent>
      </Dialog>
    </ReauthContext.Provider>
  );
}

function ReauthForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const me = useMe();
  const needsCode = me.data?.user.twoFactorEnabled ?? false;
  const form = useForm<ReauthValues>({
    resolver: zodResolver(reauthSchema),
    defaultValues: { password: '', code: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: ReauthValues) =>
      reauthenticate({ password: values.password, code: values.code || undefined }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      onDone();
    },
    onError: (error) => applyApiError(form, error),
  });
  const { errors } = form.formState;
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        autoFocus
        error={errors.password?.message}
        {...form.register('password')}
      />
      {needsCode ? (
        <TextField
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          hint="The 6-digit code from your authenticator app."
          error={errors.code?.message}
          {...form.register('code')}
        />
      ) : null}
      <FormError message={readFormError(form)} />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <SubmitButton isPending={mutation.isPending} pendingLabel="Checking…">
          Continue
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}

/**
 * Runs `action`; if the api asks for a recent login, asks for the password and runs it once
 * more. Throws the original error when the user cancels.
 */
export function useWithReauth() {
  const context = useContext(ReauthContext);
  if (!context) throw new Error('useWithReauth must be used inside <ReauthProvider>');
  const { requestReauth } = context;
  return useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        if (!isApiError(error) || error.reason !== 'reauthentication_required') throw error;
        if (!(await requestReauth())) throw error;
        return action();
      }
    },
    [requestReauth],
  );
}
