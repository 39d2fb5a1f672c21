import { eq } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { organizations, type Organization } from '../schema';

export type CreateOrganizationParams = {
  name: string;
  /** Unique across the platform; a duplicate fails on `organizations_slug_unique`. */
  slug: string;
  personal?: boolean;
};

export async function createOrganization(
  db: DatabaseExecutor,
  params: CreateOrganizationParams,
): Promise<Organization> {
  const [organization] = await db
    .insert(organizations)
    .values({ name: params.name, slug: params.slug, personal: params.personal ?? false })
    .returning();
  if (!organization) throw new Error('insert into organizations returned no row');
  return organization;
}

export async function getOrganizationById(
  db: DatabaseExecutor,
  params: { orgId: string },
): Promise<Organization | null> {
  if (!isUuid(params.orgId)) return null;
  const [organization] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, params.orgId))
    .limit(1);
  return organization ?? null;
}
