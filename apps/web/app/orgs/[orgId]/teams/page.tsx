import type { Metadata } from 'next';
import { TeamsPage } from '@/components/teams/teams-page';

export const metadata: Metadata = { title: 'Teams' };

export default async function Page({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <TeamsPage orgId={orgId} />;
}
