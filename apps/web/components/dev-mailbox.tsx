'use client';

import { useQuery } from '@tanstack/react-query';
import { Inbox, MailX, RefreshCw } from 'lucide-react';
import { FormError } from '@/components/forms/form-error';
import { PageShell } from '@/components/page-shell';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/api/api-error';
import { getDevMailbox, splitLinks } from '@/lib/api/dev-mailbox';
import type { MailMessage } from '@/lib/api/schemas';
import { formatDateTime } from '@/lib/format';

/** Every e-mail the api would have sent, for local development without an SMTP server. */
export function DevMailbox() {
  const mailbox = useQuery({
    queryKey: ['dev-mailbox'],
    queryFn: () => getDevMailbox(),
    staleTime: 0,
  });
  return (
    <PageShell
      title="Dev mailbox"
      description="E-mails the API sent, kept here while no SMTP server is configured."
      actions={
        <Button
          variant="outline"
          size="sm"
          disabled={mailbox.isFetching}
          onClick={() => void mailbox.refetch()}
        >
          <RefreshCw className={mailbox.isFetching ? 'animate-spin' : undefined} aria-hidden />
          Refresh
        </Button>
      }
    >
      {mailbox.isPending ? (
        <div className="h-40 animate-pulse rounded-xl bg-muted" aria-label="Loading" />
      ) : mailbox.isError ? (
        <FormError message={describeError(mailbox.error)} />
      ) : !mailbox.data.enabled ? (
        <Alert variant="warning">
          <MailX />
          <AlertTitle>The dev mailbox is turned off</AlertTitle>
          <AlertDescription>
            The API shows its outbox only in development: when no SMTP server is configured and
            PUBLIC_URL is a localhost address. E-mails go out through SMTP instead.
          </AlertDescription>
        </Alert>
      ) : mailbox.data.messages.length === 0 ? (
        <Alert>
          <Inbox />
          <AlertTitle>No e-mails yet</AlertTitle>
          <AlertDescription>Sign up or ask for a password reset, then refresh.</AlertDescription>
        </Alert>
      ) : (
        <ol className="grid gap-4" aria-label="Messages">
          {mailbox.data.messages.map((message) => (
            <MessageCard key={message.id} message={message} />
          ))}
        </ol>
      )}
    </PageShell>
  );
}

function MessageCard({ message }: { message: MailMessage }) {
  return (
    <li className="grid gap-3 rounded-xl border bg-card p-5 shadow-sm" data-testid="mail-message">
      <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
        <h2 className="font-semibold">{message.subject}</h2>
        <time className="text-xs text-muted-foreground" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </time>
      </div>
      <p className="text-sm text-muted-foreground">
        To <span className="text-foreground">{message.to}</span>
      </p>
      <p className="text-sm leading-relaxed break-words whitespace-pre-wrap">
        {splitLinks(message.text).map((part, index) =>
          part.kind === 'link' ? (
            <a
              key={index}
              href={part.href}
              className="font-medium break-all text-brand underline underline-offset-4"
            >
              {part.href}
            </a>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </p>
    </li>
  );
}
