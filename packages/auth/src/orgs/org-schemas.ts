import { z } from 'zod';

/** Shown in e-mails and pages; control characters (line breaks included) are refused. */
export const orgNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

/** Body of `POST /v1/orgs`: the name only; the creator always becomes the owner. */
export const createOrgSchema = z.object({ name: orgNameSchema });
export type CreateOrgInput = z.infer<typeof createOrgSchema>;

/** Body of `PATCH /v1/orgs/:orgId`: an allow-list; ids, slugs and roles are never taken. */
export const updateOrgSchema = z
  .object({ name: orgNameSchema.optional(), requireTwoFactor: z.boolean().optional() })
  .refine((value) => value.name !== undefined || value.requireTwoFactor !== undefined, {
    message: 'Give a name or requireTwoFactor.',
  });
export type UpdateOrgInput = z.infer<typeof updateOrgSchema>;

/** Roles a member can be given by an invitation or a role change; `owner` only by transfer. */
export const assignableRoleSchema = z.enum(['owner', 'admin', 'member', 'viewer']);

export const changeMemberRoleSchema = z.object({ role: assignableRoleSchema });
export type ChangeMemberRoleInput = z.infer<typeof changeMemberRoleSchema>;

/** Body of `POST /v1/orgs/:orgId/transfer-ownership`: an existing member to become the owner. */
export const transferOwnershipSchema = z.object({ newOwnerUserId: z.uuid() });
export type TransferOwnershipInput = z.infer<typeof transferOwnershipSchema>;
