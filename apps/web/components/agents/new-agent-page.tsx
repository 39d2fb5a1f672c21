'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { AgentForm, NEW_AGENT_VALUES } from '@/components/agents/agent-form';
import { OrgFrame } from '@/components/orgs/org-frame';
import { SettingsSection } from '@/components/page-shell';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { createAgent, type AgentInput } from '@/lib/api/agents';

export function NewAgentPage({ orgId }: { orgId: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return (
    <OrgFrame orgId={orgId} title="New agent">
      <SettingsSection title="Agent">
        <AgentForm
          defaultValues={NEW_AGENT_VALUES}
          submitLabel="Create agent"
          onSave={async (input) => {
            const agent = await createAgent(orgId, { ...NEW_AGENT_VALUES, ...input } as AgentInput);
            await queryClient.invalidateQueries({ queryKey: runtimeQueryKeys.agents(orgId) });
            router.push(`/orgs/${orgId}/agents/${agent.id}`);
          }}
        />
      </SettingsSection>
    </OrgFrame>
  );
}
