'use client';

import { CircleAlert, CircleCheck, TriangleAlert, Unplug, type LucideIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import {
  fetchReadiness,
  formatCheckedAt,
  type ReadinessState,
  type ReadinessView,
} from '@/lib/readiness';
import { cn } from '@/lib/utils';

type ReadinessPanelProps = {
  /** The server's reading, shown until the first refresh. */
  initial: ReadinessView;
  /** Same-origin URL of the readiness endpoint (through the `/api` proxy). */
  endpoint: string;
  intervalMs: number;
  timeoutMs: number;
};

const STATE_LOOKS: Record<
  ReadinessState,
  { label: string; icon: LucideIcon; badge: 'success' | 'warning' | 'destructive'; tint: string }
> = {
  ready: { label: 'Ready', icon: CircleCheck, badge: 'success', tint: 'text-success' },
  not_ready: { label: 'Not ready', icon: TriangleAlert, badge: 'warning', tint: 'text-warning' },
  unreachable: {
    label: 'Unreachable',
    icon: Unplug,
    badge: 'destructive',
    tint: 'text-destructive',
  },
  unexpected: { label: 'Unexpected', icon: CircleAlert, badge: 'warning', tint: 'text-warning' },
};

export function ReadinessPanel({ initial, endpoint, intervalMs, timeoutMs }: ReadinessPanelProps) {
  const [view, setView] = useState(initial);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Chained timeouts rather than setInterval: a slow answer never overlaps the next request.
    const refresh = async () => {
      const next = await fetchReadiness(endpoint, { timeoutMs, signal: controller.signal });
      if (controller.signal.aborted) return;
      setView(next);
      timer = setTimeout(refresh, intervalMs);
    };
    timer = setTimeout(refresh, intervalMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [endpoint, intervalMs, timeoutMs]);

  const look = STATE_LOOKS[view.state];
  const Icon = look.icon;

  return (
    <div className="space-y-6">
      <Card aria-live="polite" data-testid="readiness-summary" data-state={view.state}>
        <CardHeader className="grid-cols-[auto_1fr_auto] items-center gap-x-4">
          <Icon className={cn('row-span-2 size-9', look.tint)} aria-hidden="true" />
          <CardTitle className="text-xl">{view.title}</CardTitle>
          <Badge variant={look.badge} className="row-span-2 text-sm" data-testid="readiness-state">
            {look.label}
          </Badge>
          <CardDescription>
            {view.detail ?? 'The API, its database, its queue store and its schema are all ready.'}
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          <span className="relative flex size-2" aria-hidden="true">
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-brand opacity-60 motion-reduce:animate-none" />
            <span className="relative inline-flex size-2 rounded-full bg-brand" />
          </span>
          <span>
            Last checked <time dateTime={view.checkedAt}>{formatCheckedAt(view.checkedAt)}</time>
          </span>
          <span aria-hidden="true">·</span>
          <span>refreshes every {Math.round(intervalMs / 1000)} s</span>
          {view.httpStatus !== null ? (
            <>
              <span aria-hidden="true">·</span>
              <span>HTTP {view.httpStatus}</span>
            </>
          ) : null}
        </CardContent>
      </Card>

      <Card className="gap-0 py-0">
        <CardHeader className="border-b py-4">
          <CardTitle className="text-base">Checks</CardTitle>
          <CardDescription>What the API needs before it takes traffic.</CardDescription>
        </CardHeader>
        {view.checks.length > 0 ? (
          <ul className="divide-y">
            {view.checks.map((check) => (
              <li
                key={check.name}
                data-testid={`check-${check.name}`}
                data-ok={check.isOk}
                className="flex items-center justify-between gap-4 px-6 py-4"
              >
                <div className="min-w-0">
                  <p className="font-medium">{check.label}</p>
                  <p className="font-mono text-xs text-muted-foreground">{check.name}</p>
                </div>
                <Badge variant={check.isOk ? 'success' : 'destructive'}>
                  {check.isOk ? (
                    <CircleCheck aria-hidden="true" />
                  ) : (
                    <CircleAlert aria-hidden="true" />
                  )}
                  {check.status}
                </Badge>
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-6 py-5 text-sm text-muted-foreground">
            No check results: the API did not report on its dependencies.
          </p>
        )}
      </Card>
    </div>
  );
}
