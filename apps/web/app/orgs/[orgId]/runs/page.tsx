import type { Metadata } from 'next';
import { RunsPage } from '@/components/runs/runs-page';

export const metadata: Metadata = { title: 'Runs' };

export default async function Page({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <RunsPage orgId={orgId} />;
}
