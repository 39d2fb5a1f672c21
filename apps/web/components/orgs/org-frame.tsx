'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { FormError } from '@/components/forms/form-error';
import { OrgNav } from '@/components/orgs/org-nav';
import { PageShell, PageSkeleton } from '@/components/page-shell';
import { Button } from '@/components/ui/button';
import { useRequireMe } from '@/hooks/use-me';
import { orgQueryKeys } from '@/hooks/use-orgs';
import { describeError, isApiError } from '@/lib/api/api-error';
import { getOrg } from '@/lib/api/orgs';

/**
 * A page of one organisation: signed-in users only, the organisation's name above the page
 * title and its section links; "not found" when it does not exist or the user is not a member.
 */
export function OrgFrame({
  orgId,
  title,
  description,
  actions,
  wide = false,
  children,
}: {
  orgId: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  const me = useRequireMe();
  const org = useQuery({
    queryKey: orgQueryKeys.org(orgId),
    queryFn: () => getOrg(orgId),
    enabled: Boolean(me.data),
  });
  if (!me.data || org.isPending) return <PageSkeleton />;
  if (org.isError) {
    const missing = isApiError(org.error) && org.error.status === 404;
    return (
      <PageShell title={missing ? 'Organisation not found' : 'Something went wrong'}>
        <FormError
          message={
            missing ? 'It does not exist, or you are not a member of it.' : describeError(org.error)
          }
        />
        <Button asChild variant="outline">
          <Link href="/orgs">Back to your organisations</Link>
        </Button>
      </PageShell>
    );
  }
  return (
    <PageShell
      wide={wide}
      eyebrow={org.data.name}
      title={title}
      description={description}
      actions={actions}
    >
      <OrgNav orgId={orgId} />
      {children}
    </PageShell>
  );
}
