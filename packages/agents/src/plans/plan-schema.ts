import { z } from 'zod';

/** Most subtasks a plan may have; a larger plan is refused before anything runs. */
export const MAX_PLAN_SUBTASKS = 20;

export const planSubtaskSchema = z.object({
  /** The planner's own id for the subtask, referenced by `dependsOn`. */
  id: z.string().trim().min(1).max(64),
  /** The team member doing it: its name (any case) or its agent id. */
  agent: z.string().trim().min(1).max(200),
  task: z.string().trim().min(1).max(20_000),
  dependsOn: z.array(z.string().trim().min(1).max(64)).max(MAX_PLAN_SUBTASKS).default([]),
  /** A person approves (and may edit) this subtask before it runs, e.g. one with side effects. */
  needsApproval: z.boolean().default(false),
});

/** What a supervisor's planner must answer: a DAG of subtasks assigned to team members. */
export const planSchema = z.object({
  subtasks: z.array(planSubtaskSchema).min(1).max(MAX_PLAN_SUBTASKS),
});

export type Plan = z.infer<typeof planSchema>;
export type PlanSubtask = z.infer<typeof planSubtaskSchema>;
