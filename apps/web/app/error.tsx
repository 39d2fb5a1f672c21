'use client';

import { Button } from '@/components/ui/button';

type ErrorPageProps = {
  /** What was thrown. Server errors arrive without their message in production. */
  error: unknown;
  retry: () => void;
};

export default function ErrorPage({ error, retry }: ErrorPageProps) {
  const digest = readDigest(error);
  return (
    <div className="mx-auto flex max-w-xl flex-col items-center gap-4 px-4 py-24 text-center">
      <h1 className="text-3xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="text-muted-foreground">
        This page failed to load. Trying again often helps; if it keeps failing, the server logs
        have the details.
      </p>
      {digest ? (
        <p className="font-mono text-xs text-muted-foreground">Reference: {digest}</p>
      ) : null}
      <Button onClick={() => retry()}>Try again</Button>
    </div>
  );
}

function readDigest(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('digest' in error)) return null;
  return typeof error.digest === 'string' ? error.digest : null;
}
