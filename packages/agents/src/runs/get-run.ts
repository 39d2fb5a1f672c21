import {
  getRun as findRun,
  listRunSteps,
  type Database,
  type Run,
  type Step,
} from '@switchyard/database';

export type RunWithSteps = Run & { steps: Step[] };

/** A run of the org with its whole step tree (in creation order); null when not found. */
export async function getRun(
  params: { orgId: string; runId: string },
  deps: { db: Database },
): Promise<RunWithSteps | null> {
  const run = await findRun(deps.db, params);
  if (!run) return null;
  const steps = await listRunSteps(deps.db, params);
  return { ...run, steps };
}
