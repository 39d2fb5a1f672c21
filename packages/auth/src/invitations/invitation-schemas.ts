import { z } from 'zod';

/** Roles an invitation can carry; ownership is only ever handed over by a transfer. */
export const invitationRoleSchema = z.enum(['admin', 'member', 'viewer']);

/** Body of `POST /v1/orgs/:orgId/invitations`: an allow-list (the org comes from the path). */
export const createInvitationSchema = z.object({
  email: z.email().max(320),
  role: invitationRoleSchema.default('member'),
});
export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

/** Body of `POST /v1/invitations/accept`: the token only; the role is the invited one. */
export const acceptInvitationSchema = z.object({ token: z.string().min(1).max(200) });
export type AcceptInvitationInput = z.infer<typeof acceptInvitationSchema>;
