'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ShieldCheck, ShieldOff } from 'lucide-react';
import Image from 'next/image';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { RecoveryCodes } from '@/components/account/recovery-codes';
import { useWithReauth } from '@/components/account/reauth-provider';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
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
import { ME_QUERY_KEY } from '@/hooks/use-me';
import {
  disableTwoFactor,
  enableTwoFactor,
  regenerateRecoveryCodes,
  startTwoFactorSetup,
} from '@/lib/api/account';
import { describeError } from '@/lib/api/api-error';
import type { TwoFactorSetup, User } from '@/lib/api/schemas';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { totpCodeField } from '@/lib/form-fields';

const codeSchema = z.object({ code: totpCodeField });
type CodeInput = z.input<typeof codeSchema>;
type CodeOutput = z.output<typeof codeSchema>;

export function TwoFactorSection({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const withReauth = useWithReauth();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const start = useMutation({
    mutationFn: () => withReauth(() => startTwoFactorSetup()),
    onSuccess: (result) => setSetup(result),
  });
  const regenerate = useMutation({
    mutationFn: () => withReauth(() => regenerateRecoveryCodes()),
    onSuccess: (codes) => setRecoveryCodes(codes),
  });

  const refreshMe = () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });

  let body;
  if (recoveryCodes !== null) {
    body = <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  } else if (setup !== null) {
    body = (
      <SetupSteps
        setup={setup}
        onCancel={() => setSetup(null)}
        onEnabled={(codes) => {
          setSetup(null);
          setRecoveryCodes(codes);
          void refreshMe();
        }}
      />
    );
  } else if (user.twoFactorEnabled) {
    body = (
      <div className="grid gap-4">
        <p className="flex items-center gap-2 text-sm">
          <ShieldCheck className="size-5 text-success" aria-hidden="true" />
          Logins ask for a code from your authenticator app.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="outline"
            disabled={regenerate.isPending}
            onClick={() => regenerate.mutate()}
          >
            Make new recovery codes
          </Button>
          <DisableTwoFactorDialog onDisabled={() => void refreshMe()} />
        </div>
        <FormError message={regenerate.isError ? describeError(regenerate.error) : null} />
      </div>
    );
  } else {
    body = (
      <div className="grid gap-4">
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <ShieldOff className="size-5" aria-hidden="true" />
          Add a second step to your login with an authenticator app such as 1Password, Google
          Authenticator or Aegis.
        </p>
        <Button
          className="justify-self-start"
          disabled={start.isPending}
          onClick={() => start.mutate()}
        >
          Set up two-factor authentication
        </Button>
        <FormError message={start.isError ? describeError(start.error) : null} />
      </div>
    );
  }

  return (
    <SettingsSection
      id="two-factor"
      title="Two-factor authentication"
      description={
        <span className="flex flex-wrap items-center gap-2">
          A code from your phone on every login.
          {user.twoFactorEnabled ? (
            <Badge variant="success">On</Badge>
          ) : (
            <Badge variant="secondary">Off</Badge>
          )}
        </span>
      }
    >
      {body}
    </SettingsSection>
  );
}

function SetupSteps({
  setup,
  onCancel,
  onEnabled,
}: {
  setup: TwoFactorSetup;
  onCancel: () => void;
  onEnabled: (codes: string[]) => void;
}) {
  const withReauth = useWithReauth();
  const form = useForm<CodeInput, unknown, CodeOutput>({
    resolver: zodResolver(codeSchema),
    defaultValues: { code: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: CodeOutput) => withReauth(() => enableTwoFactor(values)),
    onSuccess: (codes) => onEnabled(codes),
    onError: (error) => applyApiError(form, error),
  });
  return (
    <div className="grid gap-6 md:grid-cols-[auto_1fr]">
      <div className="grid justify-items-center gap-2 self-start">
        {/* A data: URL made by the api; nothing to optimise. */}
        <Image
          src={setup.qrCodeDataUrl}
          alt="QR code to scan with your authenticator app"
          width={192}
          height={192}
          unoptimized
          className="rounded-lg border bg-white p-2"
        />
      </div>
      <div className="grid content-start gap-4">
        <ol className="list-decimal space-y-2 pl-5 text-sm">
          <li>Scan the QR code with your authenticator app.</li>
          <li>
            Can’t scan it? Enter this key by hand:
            <code
              data-testid="totp-secret"
              className="mt-1 block rounded-md bg-muted px-2 py-1.5 font-mono text-xs break-all select-all"
            >
              {setup.secret}
            </code>
          </li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <form
          noValidate
          className="grid gap-3 sm:max-w-xs"
          onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
        >
          <TextField
            label="Confirmation code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={9}
            placeholder="123 456"
            error={form.formState.errors.code?.message}
            {...form.register('code')}
          />
          <FormError message={readFormError(form)} />
          <div className="flex flex-wrap gap-2">
            <SubmitButton isPending={mutation.isPending} pendingLabel="Checking…">
              Turn on
            </SubmitButton>
            <Button type="button" variant="ghost" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}

function DisableTwoFactorDialog({ onDisabled }: { onDisabled: () => void }) {
  const [isOpen, setIsOpen] = useState(false);
  const withReauth = useWithReauth();
  const form = useForm<CodeInput, unknown, CodeOutput>({
    resolver: zodResolver(codeSchema),
    defaultValues: { code: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: CodeOutput) => withReauth(() => disableTwoFactor(values)),
    onSuccess: () => {
      setIsOpen(false);
      form.reset();
      onDisabled();
    },
    onError: (error) => applyApiError(form, error),
  });
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" className="text-destructive">
          Turn off
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Turn off two-factor authentication?</DialogTitle>
          <DialogDescription>
            Your account will be protected by your password alone, and your recovery codes stop
            working. Organisations that require a second factor will lock you out.
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
        >
          <TextField
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={9}
            error={form.formState.errors.code?.message}
            {...form.register('code')}
          />
          <FormError message={readFormError(form)} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setIsOpen(false)}>
              Keep it on
            </Button>
            <SubmitButton variant="destructive" isPending={mutation.isPending}>
              Turn off
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
