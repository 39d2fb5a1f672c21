import type { RunStatus } from '@/lib/api/runtime-schemas';

/** TanStack Query keys of the agent runtime's data, under the org's own key. */
export const runtimeQueryKeys = {
  agents: (orgId: string) => ['orgs', orgId, 'agents'] as const,
  agent: (orgId: string, agentId: string) => ['orgs', orgId, 'agents', agentId] as const,
  agentVersions: (orgId: string, agentId: string) =>
    ['orgs', orgId, 'agents', agentId, 'versions'] as const,
  teams: (orgId: string) => ['orgs', orgId, 'teams'] as const,
  runs: (orgId: string, status: RunStatus | 'all') =>
    ['orgs', orgId, 'runs', 'list', status] as const,
  run: (orgId: string, runId: string) => ['orgs', orgId, 'runs', runId] as const,
  /** Every schedule query of the org (invalidate this after a change). */
  schedules: (orgId: string) => ['orgs', orgId, 'schedules'] as const,
  /** The schedules page's list, paged with "Load more". */
  scheduleList: (orgId: string) => ['orgs', orgId, 'schedules', 'list'] as const,
  /** The newest 100 schedules, to say which ones start an agent or a team. */
  scheduleTargets: (orgId: string) => ['orgs', orgId, 'schedules', 'targets'] as const,
};
