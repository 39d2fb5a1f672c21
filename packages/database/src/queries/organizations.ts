import { eq, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { reusableStatement } from '../reusable-statement';
import { organizations, type Organization, type PlanTier } from '../schema';

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

/** The org's plan tier, or null when there is no such org. */
export async function getOrganizationPlanTier(
  db: DatabaseExecutor,
  params: { orgId: string },
): Promise<PlanTier | null> {
  if (!isUuid(params.orgId)) return null;
  const [row] = await planTierStatement(db, { orgId: params.orgId });
  return row?.planTier ?? null;
}

const planTierStatement = reusableStatement('organization_plan_tier', (db) =>
  db
    .select({ planTier: organizations.planTier })
    .from(organizations)
    .where(eq(organizations.id, sql.placeholder('orgId')))
    .limit(1),
);

/**
 * Reads the org and locks its row until the transaction ends. Services changing memberships take
 * this lock first, so concurrent role changes of one org are serialised (for example two owners
 * stepping down at once cannot leave the org without an owner). Call it inside a transaction.
 */
export async function lockOrganization(
  db: DatabaseExecutor,
  params: { orgId: string },
): Promise<Organization | null> {
  if (!isUuid(params.orgId)) return null;
  const [organization] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, params.orgId))
    .limit(1)
    .for('update');
  return organization ?? null;
}

export type UpdateOrganizationParams = {
  orgId: string;
  name?: string;
  requireTwoFactor?: boolean;
  planTier?: PlanTier;
};

/** Changes only the fields given; resolves null when the org does not exist. */
export async function updateOrganization(
  db: DatabaseExecutor,
  params: UpdateOrganizationParams,
): Promise<Organization | null> {
  if (!isUuid(params.orgId)) return null;
  const changes: Partial<Pick<Organization, 'name' | 'requireTwoFactor' | 'planTier'>> = {};
  if (params.name !== undefined) changes.name = params.name;
  if (params.requireTwoFactor !== undefined) changes.requireTwoFactor = params.requireTwoFactor;
  if (params.planTier !== undefined) changes.planTier = params.planTier;
  if (Object.keys(changes).length === 0) return getOrganizationById(db, params);
  const [organization] = await db
    .update(organizations)
    .set(changes)
    .where(eq(organizations.id, params.orgId))
    .returning();
  return organization ?? null;
}

/**
 * Deletes the org with its memberships, invitations, API keys and runs (cascade); a run takes its
 * steps, events, usage records and tool executions with it.
 */
export async function deleteOrganization(
  db: DatabaseExecutor,
  params: { orgId: string },
): Promise<boolean> {
  if (!isUuid(params.orgId)) return false;
  const deleted = await db
    .delete(organizations)
    .where(eq(organizations.id, params.orgId))
    .returning({ id: organizations.id });
  return deleted.length > 0;
}
