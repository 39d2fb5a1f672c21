import type { Metadata } from 'next';
import { AcceptInvitation } from '@/components/orgs/accept-invitation';
import { readSearchParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Accept invitation' };

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  return <AcceptInvitation token={await readSearchParam(searchParams, 'token')} />;
}
