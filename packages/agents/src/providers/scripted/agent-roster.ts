/** One agent a planner may assign work to. */
export type RosterAgent = { name: string; description?: string };

const ROSTER_HEADING = 'Available agents:';

/**
 * The agent list of a planner prompt, one `- name: description` line per agent. Planner
 * prompts should include it verbatim: the scripted model reads it back with
 * {@link parseAgentRoster} to plan offline.
 */
export function formatAgentRoster(agents: readonly RosterAgent[]): string {
  const lines = agents.map((agent) => {
    const description = agent.description?.replace(/\s+/g, ' ').trim();
    return description ? `- ${agent.name}: ${description}` : `- ${agent.name}`;
  });
  return [ROSTER_HEADING, ...lines].join('\n');
}

/** The agents listed by {@link formatAgentRoster} in `text`; empty when there is no roster. */
export function parseAgentRoster(text: string): RosterAgent[] {
  const lines = text.split('\n');
  const start = lines.findIndex(
    (line) => line.trim().toLowerCase() === ROSTER_HEADING.toLowerCase(),
  );
  if (start === -1) return [];
  const agents: RosterAgent[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s*-\s+(.+?)(?::\s+(.*))?\s*$/.exec(line);
    if (!match?.[1]) break;
    const name = match[1].trim();
    agents.push(match[2] ? { name, description: match[2].trim() } : { name });
  }
  return agents;
}
