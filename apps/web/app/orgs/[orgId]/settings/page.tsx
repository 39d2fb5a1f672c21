import type { Metadata } from 'next';
import { OrgSettingsPage } from '@/components/orgs/org-settings-page';

export const metadata: Metadata = { title: 'Organisation settings' };

export default async function Page({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <OrgSettingsPage orgId={orgId} />;
}
