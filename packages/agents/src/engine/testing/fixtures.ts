import { createAgent } from '../../agents/create-agent';
import { createTeam } from '../../teams/create-team';
import type { EngineHarness } from './engine-harness';

/** An agent on the scripted model. */
export async function createScriptedAgent(
  harness: EngineHarness,
  name: string,
  overrides: { instructions?: string; tools?: string[] } = {},
) {
  return createAgent(
    {
      orgId: harness.orgId,
      actor: { userId: harness.userId },
      input: {
        name,
        instructions: overrides.instructions ?? `You are ${name}.`,
        provider: 'scripted',
        model: 'scripted',
        tools: overrides.tools ?? [],
      },
    },
    harness.engine,
  );
}

export async function createScriptedTeam(
  harness: EngineHarness,
  params: {
    name: string;
    strategy: 'supervisor' | 'sequential' | 'handoff';
    planner?: string;
    members: string[];
    requirePlanApproval?: boolean;
  },
) {
  return createTeam(
    {
      orgId: harness.orgId,
      actor: { userId: harness.userId },
      input: {
        name: params.name,
        strategy: params.strategy,
        planner: params.planner ? { agentId: params.planner } : null,
        members: params.members.map((agentId) => ({ agentId })),
        ...(params.requirePlanApproval ? { requirePlanApproval: true } : {}),
      },
    },
    harness.engine,
  );
}

/** The settings `createRun`, `retryRun` need in tests. */
export const RUN_SETTINGS = { runMaxDurationMs: 60 * 60_000 } as const;
