'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { getMe } from '@/lib/api/account';

export const ME_QUERY_KEY = ['me'] as const;

/** The signed-in user (`null` when nobody is), shared by the header and every page. */
export function useMe() {
  return useQuery({ queryKey: ME_QUERY_KEY, queryFn: () => getMe() });
}

/**
 * For pages that need a signed-in user: sends anyone else to the login page, which brings them
 * back here afterwards.
 */
export function useRequireMe() {
  const query = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const isSignedOut = query.isSuccess && query.data === null;
  useEffect(() => {
    if (!isSignedOut) return;
    const search = window.location.search;
    router.replace(`/login?next=${encodeURIComponent(`${pathname}${search}`)}`);
  }, [isSignedOut, pathname, router]);
  return query;
}
