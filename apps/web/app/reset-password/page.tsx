import type { Metadata } from 'next';
import { ResetPasswordForm } from '@/components/auth/reset-password-form';
import { readSearchParam, type SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  return <ResetPasswordForm token={await readSearchParam(searchParams, 'token')} />;
}
