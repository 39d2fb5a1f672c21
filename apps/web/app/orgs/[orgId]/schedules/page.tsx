import type { Metadata } from 'next';
import { SchedulesPage } from '@/components/schedules/schedules-page';

export const metadata: Metadata = { title: 'Schedules' };

export default async function Page({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <SchedulesPage orgId={orgId} />;
}
