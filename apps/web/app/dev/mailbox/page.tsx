import type { Metadata } from 'next';
import { DevMailbox } from '@/components/dev-mailbox';

export const metadata: Metadata = { title: 'Dev mailbox', robots: { index: false } };

export default function Page() {
  return <DevMailbox />;
}
