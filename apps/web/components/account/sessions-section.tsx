'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Monitor } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { FormError } from '@/components/forms/form-error';
import { SettingsSection } from '@/components/page-shell';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { endSession, listSessions } from '@/lib/api/account';
import { describeError } from '@/lib/api/api-error';
import { logOutEverywhere } from '@/lib/api/auth';
import { formatDateTime } from '@/lib/format';

export const SESSIONS_QUERY_KEY = ['me', 'sessions'] as const;

export function SessionsSection() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_QUERY_KEY, queryFn: () => listSessions() });
  const end = useMutation({
    mutationFn: (sessionId: string) => endSession(sessionId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY_KEY }),
  });
  const everywhere = useMutation({
    mutationFn: () => logOutEverywhere(),
    onSuccess: () => {
      queryClient.clear();
      router.push('/login?notice=signed-out');
    },
  });

  return (
    <SettingsSection
      id="sessions"
      title="Sessions"
      description="Devices logged in to your account. End any you don’t recognise."
    >
      {sessions.isPending ? (
        <div className="h-24 animate-pulse rounded-lg bg-muted" aria-label="Loading sessions" />
      ) : sessions.isError ? (
        <FormError message={describeError(sessions.error)} />
      ) : (
        <ul className="divide-y rounded-lg border" aria-label="Active sessions">
          {sessions.data.map((session) => (
            <li
              key={session.id}
              className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between"
            >
              <div className="flex min-w-0 items-start gap-3">
                <Monitor className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden />
                <div className="min-w-0 space-y-0.5">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                    <span className="truncate">{session.device || 'Unknown device'}</span>
                    {session.current ? <Badge variant="success">This device</Badge> : null}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {session.ip ? `${session.ip} · ` : ''}Last active{' '}
                    {formatDateTime(session.lastSeenAt)} · Started{' '}
                    {formatDateTime(session.createdAt)}
                  </p>
                </div>
              </div>
              {session.current ? null : (
                <Button
                  variant="outline"
                  size="sm"
                  className="self-start sm:self-auto"
                  disabled={end.isPending && end.variables === session.id}
                  onClick={() => end.mutate(session.id)}
                >
                  End session
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError message={end.isError ? describeError(end.error) : null} />
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="outline"
          disabled={everywhere.isPending}
          onClick={() => everywhere.mutate()}
        >
          Log out everywhere
        </Button>
        <span className="text-sm text-muted-foreground">
          Ends every session, this one included.
        </span>
      </div>
      <FormError message={everywhere.isError ? describeError(everywhere.error) : null} />
    </SettingsSection>
  );
}
