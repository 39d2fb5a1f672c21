'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { completeTwoFactorLogin } from '@/lib/api/auth';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { totpCodeField } from '@/lib/form-fields';

const codeSchema = z.object({ code: totpCodeField });
const recoverySchema = z.object({
  recoveryCode: z.string().trim().min(1, 'Enter one of your recovery codes'),
});

type TwoFactorFormProps = {
  challengeToken: string;
  onSuccess: () => void | Promise<void>;
};

/** The second step of a login: an authenticator code, or a recovery code instead. */
export function TwoFactorForm({ challengeToken, onSuccess }: TwoFactorFormProps) {
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  return (
    <div className="grid gap-4">
      {useRecoveryCode ? (
        <RecoveryCodeForm challengeToken={challengeToken} onSuccess={onSuccess} />
      ) : (
        <CodeForm challengeToken={challengeToken} onSuccess={onSuccess} />
      )}
      <Button
        type="button"
        variant="link"
        className="h-auto justify-self-center p-0 text-muted-foreground"
        onClick={() => setUseRecoveryCode((current) => !current)}
      >
        {useRecoveryCode ? 'Use a code from your authenticator app' : 'Use a recovery code instead'}
      </Button>
    </div>
  );
}

function CodeForm({ challengeToken, onSuccess }: TwoFactorFormProps) {
  const form = useForm<z.input<typeof codeSchema>, unknown, z.output<typeof codeSchema>>({
    resolver: zodResolver(codeSchema),
    defaultValues: { code: '' },
  });
  const mutation = useMutation({
    mutationFn: ({ code }: z.output<typeof codeSchema>) =>
      completeTwoFactorLogin({ challengeToken, code }),
    onSuccess: () => onSuccess(),
    onError: (error) =>
      applyApiError(form, error, { fieldsByReason: { invalid_two_factor_code: 'code' } }),
  });
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <TextField
        label="Authentication code"
        inputMode="numeric"
        autoComplete="one-time-code"
        autoFocus
        maxLength={9}
        placeholder="123 456"
        hint="Open your authenticator app and enter the 6-digit code for Switchyard."
        error={form.formState.errors.code?.message}
        {...form.register('code')}
      />
      <FormError message={readFormError(form)} />
      <SubmitButton isPending={mutation.isPending || mutation.isSuccess} pendingLabel="Verifying…">
        Verify
      </SubmitButton>
    </form>
  );
}

function RecoveryCodeForm({ challengeToken, onSuccess }: TwoFactorFormProps) {
  const form = useForm<z.infer<typeof recoverySchema>>({
    resolver: zodResolver(recoverySchema),
    defaultValues: { recoveryCode: '' },
  });
  const mutation = useMutation({
    mutationFn: ({ recoveryCode }: z.infer<typeof recoverySchema>) =>
      completeTwoFactorLogin({ challengeToken, recoveryCode }),
    onSuccess: () => onSuccess(),
    onError: (error) =>
      applyApiError(form, error, { fieldsByReason: { invalid_two_factor_code: 'recoveryCode' } }),
  });
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <TextField
        label="Recovery code"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        hint="Each recovery code works once. You can make new ones from your account page."
        error={form.formState.errors.recoveryCode?.message}
        {...form.register('recoveryCode')}
      />
      <FormError message={readFormError(form)} />
      <SubmitButton isPending={mutation.isPending || mutation.isSuccess} pendingLabel="Verifying…">
        Verify
      </SubmitButton>
    </form>
  );
}
