/**
 * What a run or a schedule starts, as the value of a `<select>` option: `agent:<id>` or
 * `team:<id>`.
 */

export type RunTargetInput = { kind: 'agent'; agentId: string } | { kind: 'team'; teamId: string };

export const TARGET_VALUE_PATTERN = /^(agent|team):.+$/;

export function toTargetValue(kind: 'agent' | 'team', id: string): string {
  return `${kind}:${id}`;
}

/** The target an option value names, or null for anything else (the "Choose…" option). */
export function parseTargetValue(value: string): RunTargetInput | null {
  const match = /^(agent|team):(.+)$/s.exec(value);
  if (!match?.[2]) return null;
  return match[1] === 'team'
    ? { kind: 'team', teamId: match[2] }
    : { kind: 'agent', agentId: match[2] };
}
