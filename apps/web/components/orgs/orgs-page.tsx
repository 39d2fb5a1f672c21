'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Building2, ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FormError } from '@/components/forms/form-error';
import { SubmitButton } from '@/components/forms/submit-button';
import { TextField } from '@/components/forms/text-field';
import { PageShell, PageSkeleton, SettingsSection } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
import { useRequireMe } from '@/hooks/use-me';
import { ORGS_QUERY_KEY, useMyOrgs } from '@/hooks/use-orgs';
import { describeError } from '@/lib/api/api-error';
import { createOrg } from '@/lib/api/orgs';
import { applyApiError, readFormError } from '@/lib/apply-api-error';
import { roleLabel } from '@/lib/roles';

const createOrgSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
});
type CreateOrgValues = z.infer<typeof createOrgSchema>;

export function OrgsPage() {
  const me = useRequireMe();
  const orgs = useMyOrgs(Boolean(me.data));
  if (!me.data) return <PageSkeleton />;
  return (
    <PageShell title="Organisations" description="Workspaces you belong to, and your role in each.">
      <div className="grid grid-cols-1 gap-6">
        {orgs.isPending ? (
          <div className="h-32 animate-pulse rounded-xl bg-muted" aria-label="Loading" />
        ) : orgs.isError ? (
          <FormError message={describeError(orgs.error)} />
        ) : (
          <ul
            className="divide-y rounded-xl border bg-card shadow-sm"
            aria-label="Your organisations"
          >
            {orgs.data.map((org) => (
              <li key={org.id}>
                <Link
                  href={`/orgs/${org.id}/settings`}
                  className="flex items-center gap-3 p-4 transition-colors hover:bg-muted/50 focus-visible:bg-muted/50 focus-visible:outline-none"
                >
                  <span className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-muted">
                    <Building2 className="size-4" aria-hidden="true" />
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{org.name}</span>
                    <span className="text-xs text-muted-foreground">
                      {org.personal ? 'Personal workspace' : 'Shared organisation'}
                    </span>
                  </span>
                  <Badge variant="secondary">{roleLabel(org.role)}</Badge>
                  <ChevronRight className="size-4 text-muted-foreground" aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        )}
        <CreateOrgForm />
      </div>
    </PageShell>
  );
}

function CreateOrgForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<CreateOrgValues>({
    resolver: zodResolver(createOrgSchema),
    defaultValues: { name: '' },
  });
  const mutation = useMutation({
    mutationFn: (values: CreateOrgValues) => createOrg(values),
    onSuccess: async (org) => {
      await queryClient.invalidateQueries({ queryKey: ORGS_QUERY_KEY });
      router.push(`/orgs/${org.id}/settings`);
    },
    onError: (error) => applyApiError(form, error),
  });
  return (
    <SettingsSection
      title="Create an organisation"
      description="Share agents, runs and billing with a team. You become its owner."
    >
      <form
        noValidate
        className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
        onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
      >
        <TextField
          label="Name"
          placeholder="Acme Research"
          autoComplete="organization"
          error={form.formState.errors.name?.message}
          {...form.register('name')}
        />
        <SubmitButton className="sm:mt-6" isPending={mutation.isPending} pendingLabel="Creating…">
          Create
        </SubmitButton>
        <div className="sm:col-span-2">
          <FormError message={readFormError(form)} />
        </div>
      </form>
    </SettingsSection>
  );
}
