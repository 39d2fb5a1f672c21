'use client';

import { useQuery } from '@tanstack/react-query';
import { Bot, Plus } from 'lucide-react';
import Link from 'next/link';
import { FormError } from '@/components/forms/form-error';
import { OrgFrame } from '@/components/orgs/org-frame';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { listAgents } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import { formatDateTime } from '@/lib/format';

export function AgentsPage({ orgId }: { orgId: string }) {
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
  const canWrite = useOrgRole(orgId).can('agent:write');
  return (
    <OrgFrame
      orgId={orgId}
      title="Agents"
      description="Each agent has a role, a model and the tools it may call. Every edit is a new version."
      actions={
        canWrite ? (
          <Button asChild>
            <Link href={`/orgs/${orgId}/agents/new`}>
              <Plus aria-hidden="true" />
              New agent
            </Link>
          </Button>
        ) : null
      }
    >
      {agents.isPending ? (
        <div className="h-40 animate-pulse rounded-xl bg-muted" aria-label="Loading agents" />
      ) : agents.isError ? (
        <FormError message={describeError(agents.error)} />
      ) : agents.data.length === 0 ? (
        <div className="grid justify-items-center gap-3 rounded-xl border border-dashed p-10 text-center">
          <Bot className="size-8 text-muted-foreground" aria-hidden="true" />
          <p className="font-medium">No agents yet</p>
          <p className="max-w-md text-sm text-muted-foreground">
            Start with the offline scripted model: it needs no API key and shows the whole flow.
          </p>
          {canWrite ? (
            <Button asChild variant="outline">
              <Link href={`/orgs/${orgId}/agents/new`}>Create an agent</Link>
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="rounded-xl border bg-card shadow-sm">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Model</TableHead>
                <TableHead className="hidden md:table-cell">Tools</TableHead>
                <TableHead>Version</TableHead>
                <TableHead className="hidden sm:table-cell">Updated</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {agents.data.map((agent) => (
                <TableRow key={agent.id}>
                  <TableCell>
                    <Link
                      href={`/orgs/${orgId}/agents/${agent.id}`}
                      className="font-medium underline-offset-4 hover:underline"
                    >
                      {agent.name}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {agent.definition.provider === 'scripted' ? (
                      <Badge variant="outline">Scripted (offline)</Badge>
                    ) : (
                      <span className="font-mono text-xs">
                        {agent.definition.provider}/{agent.definition.model}
                      </span>
                    )}
                  </TableCell>
                  <TableCell className="hidden max-w-64 md:table-cell">
                    <div className="flex flex-wrap gap-1">
                      {agent.definition.tools.length === 0 ? (
                        <span className="text-muted-foreground">None</span>
                      ) : (
                        agent.definition.tools.map((tool) => (
                          <Badge key={tool} variant="secondary" className="font-mono">
                            {tool}
                          </Badge>
                        ))
                      )}
                    </div>
                  </TableCell>
                  <TableCell>v{agent.currentVersion}</TableCell>
                  <TableCell className="hidden text-muted-foreground sm:table-cell">
                    {formatDateTime(agent.updatedAt)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </OrgFrame>
  );
}
