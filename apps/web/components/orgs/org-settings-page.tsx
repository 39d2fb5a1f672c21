'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ApiKeysTab } from '@/components/orgs/api-keys-tab';
import { AuditLogTab } from '@/components/orgs/audit-log-tab';
import { GeneralTab } from '@/components/orgs/general-tab';
import { MembersTab } from '@/components/orgs/members-tab';
import { OrgNav } from '@/components/orgs/org-nav';
import { FormError } from '@/components/forms/form-error';
import { PageShell, PageSkeleton } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { useRequireMe } from '@/hooks/use-me';
import { orgQueryKeys, useMyOrgs } from '@/hooks/use-orgs';
import { describeError, isApiError } from '@/lib/api/api-error';
import { getOrg } from '@/lib/api/orgs';
import { isRoleAtLeast, roleLabel } from '@/lib/roles';

export function OrgSettingsPage({ orgId }: { orgId: string }) {
  const me = useRequireMe();
  const signedIn = Boolean(me.data);
  const org = useQuery({
    queryKey: orgQueryKeys.org(orgId),
    queryFn: () => getOrg(orgId),
    enabled: signedIn,
  });
  const myOrgs = useMyOrgs(signedIn);

  if (!me.data || org.isPending) return <PageSkeleton />;
  if (org.isError) {
    const missing = isApiError(org.error) && org.error.status === 404;
    return (
      <PageShell title={missing ? 'Organisation not found' : 'Organisation settings'}>
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

  const role = myOrgs.data?.find((entry) => entry.id === orgId)?.role ?? null;
  const isAdmin = isRoleAtLeast(role, 'admin');
  return (
    <PageShell
      title={org.data.name}
      description={
        <span className="flex flex-wrap items-center gap-2">
          Organisation settings
          {role ? <Badge variant="secondary">You are {roleLabel(role).toLowerCase()}</Badge> : null}
          {org.data.personal ? <Badge variant="outline">Personal</Badge> : null}
        </span>
      }
      actions={
        <Button asChild variant="outline" size="sm">
          <Link href="/orgs">All organisations</Link>
        </Button>
      }
    >
      <OrgNav orgId={orgId} />
      <Tabs defaultValue="members">
        <TabsList aria-label="Settings sections">
          <TabsTrigger value="members">Members</TabsTrigger>
          <TabsTrigger value="general">General</TabsTrigger>
          {isAdmin ? <TabsTrigger value="api-keys">API keys</TabsTrigger> : null}
          {isAdmin ? <TabsTrigger value="audit-log">Audit log</TabsTrigger> : null}
        </TabsList>
        <TabsContent value="members">
          <MembersTab orgId={orgId} myRole={role} myUserId={me.data.user.id} />
        </TabsContent>
        <TabsContent value="general">
          <GeneralTab org={org.data} myRole={role} />
        </TabsContent>
        {isAdmin ? (
          <TabsContent value="api-keys">
            <ApiKeysTab orgId={orgId} />
          </TabsContent>
        ) : null}
        {isAdmin ? (
          <TabsContent value="audit-log">
            <AuditLogTab orgId={orgId} />
          </TabsContent>
        ) : null}
      </Tabs>
    </PageShell>
  );
}
