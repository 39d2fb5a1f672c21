import { z } from 'zod';
import { TEAM_STRATEGIES } from '@switchyard/database';

/** Most agents in one team. */
export const MAX_TEAM_MEMBERS = 20;

/** An agent of the team; without `version`, its current version is pinned when the team is saved. */
export const teamMemberInputSchema = z
  .object({ agentId: z.uuid(), version: z.number().int().min(1).optional() })
  .strict();

export const teamFieldsSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    strategy: z.enum(TEAM_STRATEGIES),
    /** Supervisor strategy only: the agent that plans and synthesises. */
    planner: teamMemberInputSchema.nullable(),
    members: z.array(teamMemberInputSchema).min(1).max(MAX_TEAM_MEMBERS),
    /** Supervisor strategy only: a person approves (and may edit) each plan before it runs. */
    requirePlanApproval: z.boolean(),
  })
  .strict();

export const createTeamSchema = teamFieldsSchema.extend({
  planner: teamFieldsSchema.shape.planner.default(null),
  requirePlanApproval: teamFieldsSchema.shape.requirePlanApproval.default(false),
});
export type CreateTeamInput = z.input<typeof createTeamSchema>;

export const updateTeamSchema = teamFieldsSchema
  .partial()
  .refine((fields) => Object.keys(fields).length > 0, 'change at least one field');
export type UpdateTeamInput = z.input<typeof updateTeamSchema>;

export type TeamFields = z.infer<typeof teamFieldsSchema>;
