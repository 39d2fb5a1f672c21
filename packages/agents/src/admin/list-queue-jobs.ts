import { getQueueOrThrow, type QueueAdminDeps } from './queue-admin-deps';
import { listQueueJobsSchema, type ListQueueJobsInput } from './queue-admin-schemas';
import { toQueueJobSummary, type QueueJobSummary } from './queue-job-summary';

/** A page of a queue's jobs in one state, newest first, with the state's total. */
export async function listQueueJobs(
  params: { name: string; input: ListQueueJobsInput },
  deps: Pick<QueueAdminDeps, 'queues'>,
): Promise<{ jobs: QueueJobSummary[]; total: number }> {
  const queue = getQueueOrThrow(deps, params.name);
  const { state, limit, offset } = listQueueJobsSchema.parse(params.input);
  const [jobs, total] = await Promise.all([
    queue.getJobs([state], offset, offset + limit - 1),
    queue.getJobCountByTypes(state),
  ]);
  // A job removed between the range read and its hash read comes back empty.
  return { jobs: jobs.filter(Boolean).map((job) => toQueueJobSummary(job, state)), total };
}
