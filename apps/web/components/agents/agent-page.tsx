'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Play, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AgentForm, PROVIDER_LABELS } from '@/components/agents/agent-form';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { FormError } from '@/components/forms/form-error';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { SchedulesWarning } from '@/components/schedules/schedules-warning';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { useOrgRole } from '@/hooks/use-org-role';
import { useSchedulesStarting } from '@/hooks/use-schedules-starting';
import { deleteAgent, getAgent, listAgentVersions, updateAgent } from '@/lib/api/agents';
import { describeError } from '@/lib/api/api-error';
import { PROVIDERS, type Agent } from '@/lib/api/runtime-schemas';
import { formatDateTime } from '@/lib/format';

export function AgentPage({ orgId, agentId }: { orgId: string; agentId: string }) {
  const agent = useQuery({
    queryKey: runtimeQueryKeys.agent(orgId, agentId),
    queryFn: () => getAgent(orgId, agentId),
  });
  const { can } = useOrgRole(orgId);
  return (
    <OrgFrame
      orgId={orgId}
      title={agent.data?.name ?? 'Agent'}
      description={agent.data ? `Version ${agent.data.currentVersion}` : undefined}
      actions={
        agent.data && can('run:create') ? (
          <Button asChild>
            <Link href={`/orgs/${orgId}/runs/new?agentId=${agentId}`}>
              <Play aria-hidden="true" />
              Run this agent
            </Link>
          </Button>
        ) : null
      }
    >
      {agent.isPending ? (
        <div className="h-96 animate-pulse rounded-xl bg-muted" aria-label="Loading the agent" />
      ) : agent.isError ? (
        <FormError message={describeError(agent.error)} />
      ) : (
        <div className="grid grid-cols-1 gap-6">
          {can('agent:write') ? <EditAgent orgId={orgId} agent={agent.data} /> : null}
          <AgentVersions orgId={orgId} agentId={agentId} />
          {can('agent:write') ? <DeleteAgent orgId={orgId} agent={agent.data} /> : null}
        </div>
      )}
    </OrgFrame>
  );
}

function EditAgent({ orgId, agent }: { orgId: string; agent: Agent }) {
  const queryClient = useQueryClient();
  const { definition } = agent;
  return (
    <SettingsSection
      title="Edit"
      description="Saving creates the next version. Runs already started keep the version they began with."
    >
      <AgentForm
        // A new version resets the form to what was saved.
        key={agent.currentVersion}
        defaultValues={{
          name: agent.name,
          instructions: definition.instructions,
          provider: PROVIDERS.find((entry) => entry === definition.provider) ?? 'scripted',
          model: definition.model,
          tools: definition.tools,
          maxSteps: definition.maxSteps,
        }}
        submitLabel="Save new version"
        onSave={async (input) => {
          const saved = await updateAgent(orgId, agent.id, input);
          queryClient.setQueryData(runtimeQueryKeys.agent(orgId, agent.id), saved);
          await queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.agents(orgId) });
        }}
      />
    </SettingsSection>
  );
}

function DeleteAgent({ orgId, agent }: { orgId: string; agent: Agent }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const schedules = useSchedulesStarting(orgId, 'agent', agent.id);
  const listKey = runtimeQueryKeys.agents(orgId);
  return (
    <SettingsSection
      id="delete-agent"
      tone="danger"
      title="Delete agent"
      description="It leaves the agent list, and no new run or team can use it. Runs and teams that already use one of its versions keep working."
    >
      <ConfirmDialog
        trigger={
          <Button variant="destructive" className="justify-self-start">
            <Trash2 aria-hidden="true" />
            Delete agent
          </Button>
        }
        title={`Delete “${agent.name}”?`}
        description={
          <>
            New runs and teams can no longer use it. This cannot be undone.
            <SchedulesWarning orgId={orgId} schedules={schedules} />
          </>
        }
        confirmLabel="Delete agent"
        destructive
        onConfirm={async () => {
          await deleteAgent(orgId, agent.id);
          queryClient.setQueryData<Agent[]>(listKey, (old) =>
            old?.filter((entry) => entry.id !== agent.id),
          );
          // Only the list: refetching this agent now would show "not found" before leaving.
          void queryClient.invalidateQueries({ queryKey: listKey, exact: true });
          router.push(`/orgs/${orgId}/agents`);
        }}
      />
    </SettingsSection>
  );
}

function AgentVersions({ orgId, agentId }: { orgId: string; agentId: string }) {
  const versions = useQuery({
    queryKey: runtimeQueryKeys.agentVersions(orgId, agentId),
    queryFn: () => listAgentVersions(orgId, agentId),
  });
  return (
    <SettingsSection title="Versions" description="Newest first.">
      {versions.isPending ? (
        <div className="h-24 animate-pulse rounded-lg bg-muted" aria-label="Loading versions" />
      ) : versions.isError ? (
        <FormError message={describeError(versions.error)} />
      ) : (
        <ol className="grid gap-3" aria-label="Agent versions">
          {versions.data.map((version) => (
            <li key={version.version} className="grid gap-1.5 rounded-lg border p-3 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <Badge variant="secondary">v{version.version}</Badge>
                <span className="text-muted-foreground">{formatDateTime(version.createdAt)}</span>
                <span className="text-muted-foreground">·</span>
                <span>
                  {PROVIDERS.find((entry) => entry === version.provider)
                    ? PROVIDER_LABELS[version.provider as keyof typeof PROVIDER_LABELS]
                    : version.provider}
                </span>
                {version.provider === 'scripted' ? null : (
                  <code className="text-xs">{version.model}</code>
                )}
                <span className="text-muted-foreground">· max {version.maxSteps} steps</span>
              </div>
              <p className="line-clamp-2 text-muted-foreground">{version.instructions}</p>
              {version.tools.length > 0 ? (
                <div className="flex flex-wrap gap-1">
                  {version.tools.map((tool) => (
                    <Badge key={tool} variant="outline" className="font-mono">
                      {tool}
                    </Badge>
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </SettingsSection>
  );
}
