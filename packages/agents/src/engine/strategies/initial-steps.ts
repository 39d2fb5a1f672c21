import { randomUUID } from 'node:crypto';
import type { InitialStepParams, TeamSnapshot } from '@switchyard/database';
import { AppError } from '@switchyard/shared';

/** The first steps of a run, by target: what `createRun` inserts with the run. */
export function buildInitialSteps(params: {
  runId: string;
  orgId: string;
  agent?: { agentId: string; version: number; name: string };
  team?: TeamSnapshot & { memberNames: string[] };
}): InitialStepParams[] {
  const base = { runId: params.runId, orgId: params.orgId };
  if (params.agent) {
    return [
      {
        ...base,
        id: randomUUID(),
        kind: 'agent_turn',
        status: 'queued',
        agentId: params.agent.agentId,
        agentVersion: params.agent.version,
        input: { agent: params.agent.name },
      },
    ];
  }
  const team = params.team;
  if (!team) throw new Error('a run needs an agent or a team');
  switch (team.strategy) {
    case 'supervisor': {
      if (!team.planner) {
        throw new AppError('UNPROCESSABLE', { message: 'The team has no planner agent.' });
      }
      return [
        {
          ...base,
          id: randomUUID(),
          kind: 'plan',
          status: 'queued',
          agentId: team.planner.agentId,
          agentVersion: team.planner.version,
          input: {},
        },
      ];
    }
    case 'sequential': {
      // One turn per member, in team order, each depending on the one before.
      const ids = team.members.map(() => randomUUID());
      return team.members.map((member, index) => ({
        ...base,
        id: ids[index] ?? randomUUID(),
        kind: 'agent_turn',
        status: index === 0 ? 'queued' : 'pending',
        position: index,
        dependsOn: index === 0 ? [] : [ids[index - 1] ?? ''],
        agentId: member.agentId,
        agentVersion: member.version,
        input: { agent: team.memberNames[index] ?? null },
      }));
    }
    case 'handoff': {
      const [first] = team.members;
      if (!first) throw new AppError('UNPROCESSABLE', { message: 'The team has no members.' });
      return [
        {
          ...base,
          id: randomUUID(),
          kind: 'agent_turn',
          status: 'queued',
          agentId: first.agentId,
          agentVersion: first.version,
          input: { agent: team.memberNames[0] ?? null, handoffs: 0 },
        },
      ];
    }
  }
}
