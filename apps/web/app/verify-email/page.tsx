import type { Metadata } from 'next';
import { VerifyEmail } from '@/components/auth/verify-email';
import { readSearchParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Confirm your email' };

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  return <VerifyEmail token={await readSearchParam(searchParams, 'token')} />;
}
