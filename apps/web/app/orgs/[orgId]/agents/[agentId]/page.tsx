import type { Metadata } from 'next';
import { AgentPage } from '@/components/agents/agent-page';

export const metadata: Metadata = { title: 'Agent' };

export default async function Page({
  params,
}: {
  params: Promise<{ orgId: string; agentId: string }>;
}) {
  const { orgId, agentId } = await params;
  return <AgentPage orgId={orgId} agentId={agentId} />;
}
