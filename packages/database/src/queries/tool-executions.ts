import { and, asc, eq } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { toolExecutions, type ToolExecution } from '../schema';

export type { ToolExecution } from '../schema';

export async function getToolExecution(
  db: DatabaseExecutor,
  params: { orgId: string; idempotencyKey: string },
): Promise<ToolExecution | null> {
  if (!isUuid(params.orgId)) return null;
  const [execution] = await db
    .select()
    .from(toolExecutions)
    .where(
      and(
        eq(toolExecutions.orgId, params.orgId),
        eq(toolExecutions.idempotencyKey, params.idempotencyKey),
      ),
    )
    .limit(1);
  return execution ?? null;
}

/**
 * Records a side-effecting tool's result. When the key is already recorded, the first record wins
 * and is resolved (a racing duplicate never replaces it).
 */
export async function insertToolExecution(
  db: DatabaseExecutor,
  params: {
    orgId: string;
    runId: string;
    stepId: string;
    idempotencyKey: string;
    tool: string;
    result: unknown;
  },
): Promise<ToolExecution> {
  const [inserted] = await db
    .insert(toolExecutions)
    .values({
      idempotencyKey: params.idempotencyKey,
      orgId: params.orgId,
      runId: params.runId,
      stepId: params.stepId,
      tool: params.tool,
      result: params.result,
    })
    .onConflictDoNothing({ target: toolExecutions.idempotencyKey })
    .returning();
  if (inserted) return inserted;
  const existing = await getToolExecution(db, params);
  if (!existing) throw new Error('idempotency key conflict with a tool execution of another org');
  return existing;
}

export async function listRunToolExecutions(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<ToolExecution[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
  return db
    .select()
    .from(toolExecutions)
    .where(and(eq(toolExecutions.orgId, params.orgId), eq(toolExecutions.runId, params.runId)))
    .orderBy(asc(toolExecutions.createdAt));
}
