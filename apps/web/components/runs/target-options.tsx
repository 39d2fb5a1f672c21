import type { Agent, Team } from '@/lib/api/runtime-schemas';
import { toTargetValue } from '@/lib/runs/run-target';

/** The `<option>`s of an "Agent or team" select: a "Choose…" prompt, then agents, then teams. */
export function TargetOptions({ agents, teams }: { agents: Agent[]; teams: Team[] }) {
  return (
    <>
      <option value="">Choose…</option>
      {agents.length > 0 ? (
        <optgroup label="Agents">
          {agents.map((agent) => (
            <option key={agent.id} value={toTargetValue('agent', agent.id)}>
              {agent.name} (v{agent.currentVersion}
              {agent.definition.provider === 'scripted' ? ', scripted' : ''})
            </option>
          ))}
        </optgroup>
      ) : null}
      {teams.length > 0 ? (
        <optgroup label="Teams">
          {teams.map((team) => (
            <option key={team.id} value={toTargetValue('team', team.id)}>
              {team.name} ({team.strategy})
            </option>
          ))}
        </optgroup>
      ) : null}
    </>
  );
}
