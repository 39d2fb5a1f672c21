import type { Metadata } from 'next';
import { WorkerManagerPage } from '@/components/admin/worker-manager-page';

export const metadata: Metadata = { title: 'Worker manager' };

export default function Page() {
  return <WorkerManagerPage />;
}
