import type { Metadata } from 'next';
import { RunPage } from '@/components/runs/run-page';

export const metadata: Metadata = { title: 'Run' };

export default async function Page({
  params,
}: {
  params: Promise<{ orgId: string; runId: string }>;
}) {
  const { orgId, runId } = await params;
  return <RunPage orgId={orgId} runId={runId} />;
}
