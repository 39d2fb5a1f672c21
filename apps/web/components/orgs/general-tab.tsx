'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { SettingsSection } from '@/components/page-shell';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { ORGS_QUERY_KEY, orgQueryKeys } from '@/hooks/use-orgs';
import { describeError } from '@/lib/api/api-error';
import { updateOrg } from '@/lib/api/orgs';
import type { Organization, Role } from '@/lib/api/schemas';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { isRoleAtLeast } from '@/lib/roles';

const nameSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
});

export function GeneralTab({ org, myRole }: { org: Organization; myRole: Role | null }) {
  const canEdit = isRoleAtLeast(myRole, 'admin');
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: orgQueryKeys.org(org.id) }),
      queryClient.invalidateQueries({ queryKey: ORGS_QUERY_KEY }),
    ]);
  const form = useForm<z.infer<typeof nameSchema>>({
    resolver: zodResolver(nameSchema),
    defaultValues: { name: org.name },
  });
  const rename = useMutation({
    mutationFn: (values: z.infer<typeof nameSchema>) => updateOrg(org.id, values),
    onSuccess: async (_result, values) => {
      form.reset(values);
      await refresh();
    },
    onError: (error) => applyApiError(form, error),
  });
  const requireTwoFactor = useMutation({
    mutationFn: (value: boolean) => updateOrg(org.id, { requireTwoFactor: value }),
    onSuccess: refresh,
  });
  const switchId = useId();

  return (
    <div className="grid grid-cols-1 gap-6">
      <SettingsSection title="Name" description="Shown to members and in invitation e-mails.">
        <form
          noValidate
          className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
          onSubmit={form.handleSubmit((values) => rename.mutate(values))}
        >
          <TextField
            label="Organisation name"
            disabled={!canEdit}
            error={form.formState.errors.name?.message}
            {...form.register('name')}
          />
          {canEdit ? (
            <SubmitButton
              variant="outline"
              className="sm:mt-6"
              isPending={rename.isPending}
              disabled={!form.formState.isDirty}
            >
              Save
            </SubmitButton>
          ) : null}
          <div className="sm:col-span-2">
            <FormError message={readFormError(form)} />
          </div>
        </form>
      </SettingsSection>
      <SettingsSection
        title="Security"
        description="Require every member to use two-factor authentication to access this organisation."
      >
        <div className="flex items-center gap-3">
          <Switch
            id={switchId}
            checked={requireTwoFactor.isPending ? requireTwoFactor.variables : org.requireTwoFactor}
            disabled={!canEdit || requireTwoFactor.isPending}
            onCheckedChange={(checked) => requireTwoFactor.mutate(checked)}
          />
          <Label htmlFor={switchId}>Require two-factor authentication</Label>
        </div>
        <FormError
          message={requireTwoFactor.isError ? describeError(requireTwoFactor.error) : null}
        />
      </SettingsSection>
    </div>
  );
}
