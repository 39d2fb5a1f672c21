import { Braces, BookOpen } from 'lucide-react';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ReadinessPanel } from '@/components/status/readiness-panel';
import { Button } from '@/components/ui/button';
import { env } from '@/env';
import { fetchReadiness } from '@/lib/readiness';

export const metadata: Metadata = {
  title: 'Status',
  description: 'Live readiness of the Switchyard API and the services it depends on.',
};

const SERVER_TIMEOUT_MS = 2_000;
const BROWSER_TIMEOUT_MS = 4_000;
const REFRESH_INTERVAL_MS = 5_000;

export default async function StatusPage() {
  // Render on every request (never at build time): the point is the api's state right now.
  await connection();
  const initial = await fetchReadiness(`${env.API_INTERNAL_URL}/readyz`, {
    timeoutMs: SERVER_TIMEOUT_MS,
  });

  return (
    <div className="mx-auto max-w-3xl space-y-8 px-4 py-12 sm:px-6 md:py-16">
      <div className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight">System status</h1>
        <p className="text-muted-foreground">
          Whether the API is ready to serve, and which of the services it depends on are answering.
          This page checks again every few seconds.
        </p>
      </div>

      <ReadinessPanel
        initial={initial}
        endpoint="/api/readyz"
        intervalMs={REFRESH_INTERVAL_MS}
        timeoutMs={BROWSER_TIMEOUT_MS}
      />

      <div className="flex flex-col gap-3 rounded-xl border bg-muted/40 p-5 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p className="font-medium">API reference</p>
          <p className="text-sm text-muted-foreground">
            Every endpoint, described by the API itself.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline" size="sm">
            <a href="/api/docs">
              <BookOpen />
              API docs
            </a>
          </Button>
          <Button asChild variant="outline" size="sm">
            <a href="/api/openapi.json">
              <Braces />
              OpenAPI JSON
            </a>
          </Button>
        </div>
      </div>
    </div>
  );
}
