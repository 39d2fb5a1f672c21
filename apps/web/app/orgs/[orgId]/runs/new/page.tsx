import type { Metadata } from 'next';
import { NewRunPage } from '@/components/runs/new-run-page';
import { readSearchParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'New run' };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: SearchParams;
}) {
  const { orgId } = await params;
  const agentId = await readSearchParam(searchParams, 'agentId');
  const teamId = await readSearchParam(searchParams, 'teamId');
  const initialTarget = agentId ? `agent:${agentId}` : teamId ? `team:${teamId}` : '';
  return <NewRunPage orgId={orgId} initialTarget={initialTarget} />;
}
