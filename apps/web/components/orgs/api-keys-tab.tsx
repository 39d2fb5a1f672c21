'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyButton } from '@/components/copy-button';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { orgQueryKeys } from '@/hooks/use-orgs';
import { describeError } from '@/lib/api/api-error';
import { createApiKey, listApiKeys, revokeApiKey } from '@/lib/api/orgs';
import type { ApiKeyInfo } from '@/lib/api/schemas';
import { API_KEY_SCOPES } from '@/lib/api/scopes';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { formatDate, formatDateTime } from '@/lib/format';

export function ApiKeysTab({ orgId }: { orgId: string }) {
  const [createdKey, setCreatedKey] = useState<{ name: string; secret: string } | null>(null);
  return (
    <div className="grid grid-cols-1 gap-6">
      {createdKey ? (
        <NewKey
          name={createdKey.name}
          secret={createdKey.secret}
          onDismiss={() => setCreatedKey(null)}
        />
      ) : null}
      <KeysList orgId={orgId} />
      <CreateKeyForm orgId={orgId} onCreated={setCreatedKey} />
    </div>
  );
}

function NewKey({
  name,
  secret,
  onDismiss,
}: {
  name: string;
  secret: string;
  onDismiss: () => void;
}) {
  return (
    <Alert variant="warning">
      <AlertTitle>Copy the key “{name}” now</AlertTitle>
      <AlertDescription>
        <p>This is the only time it is shown. Store it in your secret manager.</p>
        <code
          data-testid="new-api-key"
          className="block w-full rounded-md border bg-background px-2 py-1.5 font-mono text-xs break-all text-foreground select-all"
        >
          {secret}
        </code>
        <div className="flex flex-wrap gap-2">
          <CopyButton value={secret} label="Copy key" />
          <Button variant="ghost" size="sm" onClick={onDismiss}>
            I have stored it
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}

function keyStatus(apiKey: ApiKeyInfo): { label: string; variant: 'success' | 'secondary' } {
  if (apiKey.revokedAt) return { label: 'Revoked', variant: 'secondary' };
  if (apiKey.expiresAt && new Date(apiKey.expiresAt).getTime() <= Date.now()) {
    return { label: 'Expired', variant: 'secondary' };
  }
  return { label: 'Active', variant: 'success' };
}

function KeysList({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: orgQueryKeys.apiKeys(orgId),
    queryFn: () => listApiKeys(orgId),
  });
  return (
    <SettingsSection
      title="API keys"
      description="Keys let programs call the API as this organisation, limited to their scopes."
    >
      {keys.isPending ? (
        <div className="h-24 animate-pulse rounded-lg bg-muted" aria-label="Loading API keys" />
      ) : keys.isError ? (
        <FormError message={describeError(keys.error)} />
      ) : keys.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">No API keys yet.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead className="hidden md:table-cell">Scopes</TableHead>
              <TableHead className="hidden sm:table-cell">Last used</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.data.map((apiKey) => {
              const status = keyStatus(apiKey);
              return (
                <TableRow key={apiKey.id}>
                  <TableCell>
                    <div className="grid">
                      <span className="font-medium">{apiKey.name}</span>
                      <code className="text-xs text-muted-foreground">sy_{apiKey.prefix}_…</code>
                      <span className="text-xs text-muted-foreground">
                        Created {formatDate(apiKey.createdAt)}
                        {apiKey.expiresAt ? ` · expires ${formatDate(apiKey.expiresAt)}` : ''}
                      </span>
                    </div>
                  </TableCell>
                  <TableCell className="hidden max-w-64 md:table-cell">
                    <div className="flex flex-wrap gap-1">
                      {apiKey.scopes.map((scope) => (
                        <Badge key={scope} variant="outline" className="font-mono">
                          {scope}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                  <TableCell className="hidden text-muted-foreground sm:table-cell">
                    {apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt) : 'Never'}
                  </TableCell>
                  <TableCell>
                    <Badge variant={status.variant}>{status.label}</Badge>
                  </TableCell>
                  <TableCell className="text-right">
                    {apiKey.revokedAt ? null : (
                      <ConfirmDialog
                        trigger={
                          <Button variant="outline" size="sm" className="text-destructive">
                            Revoke
                          </Button>
                        }
                        title={`Revoke “${apiKey.name}”?`}
                        description="Programs using it are refused from the next request on. This cannot be undone."
                        confirmLabel="Revoke key"
                        destructive
                        onConfirm={async () => {
                          await revokeApiKey(orgId, apiKey.id);
                          await queryClient.invalidateQueries({
                            queryKey: orgQueryKeys.apiKeys(orgId),
                          });
                        }}
                      />
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </SettingsSection>
  );
}

const createKeySchema = z.object({
  name: z.string().trim().min(1, 'Name the key, e.g. "CI pipeline"').max(100),
  scopes: z.array(z.string()).min(1, 'Pick at least one scope'),
  expiresOn: z.string(),
});
type CreateKeyValues = z.infer<typeof createKeySchema>;

function CreateKeyForm({
  orgId,
  onCreated,
}: {
  orgId: string;
  onCreated: (created: { name: string; secret: string }) => void;
}) {
  const queryClient = useQueryClient();
  const scopesId = useId();
  const form = useForm<CreateKeyValues>({
    resolver: zodResolver(createKeySchema),
    defaultValues: { name: '', scopes: ['run:read', 'run:create'], expiresOn: '' },
  });
  const mutation = useMutation({
    mutationFn: ({ name, scopes, expiresOn }: CreateKeyValues) =>
      createApiKey(orgId, {
        name,
        scopes,
        // The end of the chosen day, in the viewer's time zone.
        expiresAt: expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : undefined,
      }),
    onSuccess: async (created, values) => {
      onCreated({ name: values.name, secret: created.key });
      form.reset();
      await queryClient.invalidateQueries({ queryKey: orgQueryKeys.apiKeys(orgId) });
    },
    onError: (error) => applyApiError(form, error),
  });
  const { errors } = form.formState;
  return (
    <SettingsSection title="Create an API key">
      <form
        noValidate
        className="grid gap-4"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Name" error={errors.name?.message} {...form.register('name')} />
          <TextField
            label="Expires on (optional)"
            type="date"
            error={errors.expiresOn?.message}
            {...form.register('expiresOn')}
          />
        </div>
        <fieldset className="grid gap-2" aria-describedby={`${scopesId}-error`}>
          <legend className="mb-2 text-sm font-medium">Scopes</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {API_KEY_SCOPES.map(({ scope, label }) => (
              <label key={scope} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  value={scope}
                  className="mt-0.5 size-4 accent-primary"
                  {...form.register('scopes')}
                />
                <span>
                  {label} <code className="text-xs text-muted-foreground">{scope}</code>
                </span>
              </label>
            ))}
          </div>
          {errors.scopes?.message ? (
            <p id={`${scopesId}-error`} className="text-sm text-destructive">
              {errors.scopes.message}
            </p>
          ) : null}
        </fieldset>
        <FormError message={readFormError(form)} />
        <SubmitButton
          className="justify-self-start"
          isPending={mutation.isPending}
          pendingLabel="Creating…"
        >
          Create key
        </SubmitButton>
      </form>
    </SettingsSection>
  );
}
