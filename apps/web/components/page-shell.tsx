import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';

/** Heading + intro + content column shared by the signed-in pages. */
export function PageShell({
  title,
  description,
  actions,
  eyebrow,
  wide = false,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** A small line above the title, e.g. the organisation the page belongs to. */
  eyebrow?: ReactNode;
  /** A wider column, for pages with tables or a run's step tree. */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      className={cn(
        'mx-auto w-full space-y-8 px-4 py-10 sm:px-6 md:py-14',
        wide ? 'max-w-6xl' : 'max-w-4xl',
      )}
    >
      <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0 space-y-1.5">
          {eyebrow ? <p className="text-sm font-medium text-muted-foreground">{eyebrow}</p> : null}
          <h1 className="text-3xl font-semibold tracking-tight">{title}</h1>
          {description ? <p className="text-muted-foreground">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </div>
  );
}

/** Placeholder blocks while the first data loads. */
export function PageSkeleton() {
  return (
    <div
      className="mx-auto w-full max-w-4xl space-y-6 px-4 py-10 sm:px-6 md:py-14"
      aria-busy="true"
      aria-label="Loading"
    >
      <div className="h-9 w-48 animate-pulse rounded-md bg-muted" />
      <div className="h-40 animate-pulse rounded-xl bg-muted" />
      <div className="h-40 animate-pulse rounded-xl bg-muted" />
    </div>
  );
}

/** A titled card-like section of a settings page. */
export function SettingsSection({
  title,
  description,
  children,
  tone = 'default',
  id,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  tone?: 'default' | 'danger';
  id?: string;
}) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={
        tone === 'danger'
          ? 'grid grid-cols-1 gap-5 rounded-xl border border-destructive/40 p-5 sm:p-6'
          : 'grid grid-cols-1 gap-5 rounded-xl border bg-card p-5 shadow-sm sm:p-6'
      }
    >
      <div className="space-y-1">
        <h2 id={headingId} className="text-lg font-semibold">
          {title}
        </h2>
        {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}
