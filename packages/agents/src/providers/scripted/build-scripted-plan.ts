import type { RosterAgent } from './agent-roster';

export type ScriptedPlan = {
  subtasks: {
    id: string;
    agent: string;
    task: string;
    dependsOn: string[];
    needsApproval?: boolean;
  }[];
};

/** A task asking for a person's sign-off makes every subtask of the plan need approval. */
const SIGN_OFF = /\bsign[- ]?off\b/i;

/** Most subtasks a scripted plan assigns, whatever the roster's size. */
const MAX_SUBTASKS = 5;

/**
 * A deterministic supervisor plan: one agent does the task alone; two work one after the other;
 * with three or more, all but the last work in parallel and the last combines their results
 * (fan-out, then fan-in). A task asking for sign-off marks every subtask as needing approval.
 */
export function buildScriptedPlan(task: string, agents: readonly RosterAgent[]): ScriptedPlan {
  const plan = buildSubtasks(task, agents);
  if (!SIGN_OFF.test(task)) return plan;
  return { subtasks: plan.subtasks.map((subtask) => ({ ...subtask, needsApproval: true })) };
}

function buildSubtasks(task: string, agents: readonly RosterAgent[]): ScriptedPlan {
  const chosen = agents.slice(0, MAX_SUBTASKS);
  const [only] = chosen;
  if (chosen.length === 1 && only) {
    return { subtasks: [{ id: 's1', agent: only.name, task, dependsOn: [] }] };
  }
  if (chosen.length === 2) {
    return {
      subtasks: chosen.map((agent, index) => ({
        id: `s${index + 1}`,
        agent: agent.name,
        task: index === 0 ? task : `Build on the previous result to finish: ${task}`,
        dependsOn: index === 0 ? [] : ['s1'],
      })),
    };
  }
  const workers = chosen.slice(0, -1);
  const subtasks: ScriptedPlan['subtasks'] = workers.map((agent, index) => ({
    id: `s${index + 1}`,
    agent: agent.name,
    task: `Part ${index + 1} of ${workers.length}: ${task}`,
    dependsOn: [],
  }));
  const last = chosen.at(-1);
  if (last) {
    subtasks.push({
      id: `s${chosen.length}`,
      agent: last.name,
      task: `Combine the results of the other parts: ${task}`,
      dependsOn: subtasks.map((subtask) => subtask.id),
    });
  }
  return { subtasks };
}
