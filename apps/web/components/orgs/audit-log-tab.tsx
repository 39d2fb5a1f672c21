'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '@/components/forms/form-error';
import { SettingsSection } from '@/components/page-shell';
import { Button } from '@/components/ui/button';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { orgQueryKeys } from '@/hooks/use-orgs';
import { describeError } from '@/lib/api/api-error';
import { listAuditEvents } from '@/lib/api/orgs';
import type { AuditEvent } from '@/lib/api/schemas';
import { formatDateTime } from '@/lib/format';

const PAGE_SIZE = 25;

function describeActor(event: AuditEvent): string {
  return event.actor?.email ?? (event.actorUserId ? 'Deleted user' : 'System');
}

export function AuditLogTab({ orgId }: { orgId: string }) {
  // Cursors of the pages before the current one, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: [...orgQueryKeys.auditLog(orgId), cursor ?? 'first'],
    queryFn: () => listAuditEvents(orgId, { cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const pageNumber = cursors.length;

  return (
    <SettingsSection
      title="Audit log"
      description="Security events in this organisation, newest first."
    >
      {page.isPending ? (
        <div className="h-40 animate-pulse rounded-lg bg-muted" aria-label="Loading audit log" />
      ) : page.isError ? (
        <FormError message={describeError(page.error)} />
      ) : page.data.events.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nothing recorded yet.</p>
      ) : (
        <Table aria-busy={page.isFetching}>
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Event</TableHead>
              <TableHead className="hidden md:table-cell">By</TableHead>
              <TableHead className="hidden md:table-cell">Target</TableHead>
              <TableHead className="hidden lg:table-cell">IP</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.data.events.map((event) => (
              <TableRow key={event.id}>
                <TableCell className="whitespace-nowrap text-muted-foreground">
                  {formatDateTime(event.createdAt)}
                </TableCell>
                <TableCell>
                  <code className="text-xs">{event.action}</code>
                  <span className="block text-xs break-all text-muted-foreground md:hidden">
                    {describeActor(event)}
                  </span>
                </TableCell>
                <TableCell className="hidden max-w-48 truncate md:table-cell">
                  {describeActor(event)}
                </TableCell>
                <TableCell className="hidden max-w-56 truncate text-muted-foreground md:table-cell">
                  {event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}
                </TableCell>
                <TableCell className="hidden text-muted-foreground lg:table-cell">
                  {event.ip ?? '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav aria-label="Audit log pages" className="flex items-center justify-between gap-2">
        <Button
          variant="outline"
          size="sm"
          disabled={pageNumber === 1 || page.isFetching}
          onClick={() => setCursors((current) => current.slice(0, -1))}
        >
          Newer
        </Button>
        <span className="text-sm text-muted-foreground">Page {pageNumber}</span>
        <Button
          variant="outline"
          size="sm"
          disabled={!page.data?.nextCursor || page.isFetching}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors((current) => [...current, next]);
          }}
        >
          Older
        </Button>
      </nav>
    </SettingsSection>
  );
}
