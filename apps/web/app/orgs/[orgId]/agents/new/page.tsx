import type { Metadata } from 'next';
import { NewAgentPage } from '@/components/agents/new-agent-page';

export const metadata: Metadata = { title: 'New agent' };

export default async function Page({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <NewAgentPage orgId={orgId} />;
}
