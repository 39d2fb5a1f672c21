import type { Metadata } from 'next';
import { OrgsPage } from '@/components/orgs/orgs-page';

export const metadata: Metadata = { title: 'Organisations' };

export default function Page() {
  return <OrgsPage />;
}
