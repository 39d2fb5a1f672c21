import { getStep, type Database, type Step } from '@switchyard/database';
import { AppError } from '@switchyard/shared';

/** The approval step of the org, or 404 (also for any other kind of step). */
export async function findApprovalStep(
  db: Database,
  params: { orgId: string; stepId: string },
): Promise<Step> {
  const step = await getStep(db, params);
  if (!step || step.kind !== 'approval') {
    throw new AppError('NOT_FOUND', { message: 'Approval not found.' });
  }
  return step;
}
