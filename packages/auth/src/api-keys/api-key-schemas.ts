import { z } from 'zod';
import { API_KEY_SCOPES, type Permission } from '../access/permissions';

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES as [Permission, ...Permission[]]);

/** Body of `POST /v1/orgs/:orgId/api-keys`: an allow-list; the org comes from the path. */
export const createApiKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.'),
  scopes: z
    .array(apiKeyScopeSchema)
    .min(1)
    .max(API_KEY_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'Scopes must not repeat.'),
  /** ISO 8601 with an offset, for example `2030-01-01T00:00:00Z`; no expiry when left out. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
