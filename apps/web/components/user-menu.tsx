'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Building2, ChevronDown, LogOut, Server, UserRound } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { ME_QUERY_KEY, useMe } from '@/hooks/use-me';
import { logOut } from '@/lib/api/auth';

/** The header's account corner: the signed-in user's menu, or Log in / Sign up. */
export function UserMenu() {
  const me = useMe();
  const router = useRouter();
  const queryClient = useQueryClient();
  const logout = useMutation({
    mutationFn: () => logOut(),
    onSettled: () => {
      // Whatever the api said, this browser is done with the session: forget everything cached.
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, null);
      router.push('/login');
    },
  });

  if (me.isPending) {
    return <div aria-hidden="true" className="ml-1 h-8 w-24 animate-pulse rounded-md bg-muted" />;
  }

  const user = me.data?.user;
  if (!user) {
    return (
      <div className="ml-1 flex items-center gap-1">
        <Button asChild variant="ghost" size="sm">
          <Link href="/login">Log in</Link>
        </Button>
        <Button asChild size="sm">
          <Link href="/signup">Sign up</Link>
        </Button>
      </div>
    );
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm" className="ml-1 max-w-48" data-testid="user-menu">
          <span
            aria-hidden="true"
            className="flex size-5 items-center justify-center rounded-full bg-brand text-[0.65rem] font-semibold text-background"
          >
            {initials(user.name || user.email)}
          </span>
          <span className="truncate">{user.name || user.email}</span>
          <ChevronDown aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel className="grid">
          <span className="truncate">{user.name}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserRound />
            Account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/orgs">
            <Building2 />
            Organisations
          </Link>
        </DropdownMenuItem>
        {user.platformAdmin ? (
          <DropdownMenuItem asChild>
            <Link href="/admin/workers">
              <Server />
              Worker manager
            </Link>
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem disabled={logout.isPending} onSelect={() => logout.mutate()}>
          <LogOut />
          Log out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}
