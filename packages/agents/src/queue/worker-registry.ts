import { z } from 'zod';
import type { Redis } from '@switchyard/shared';

/**
 * Worker heartbeats in Redis, under the queue prefix: each workers process rewrites its record
 * every `heartbeatIntervalMs`, with a TTL of `RECORD_TTL_INTERVALS` intervals, and a sorted set
 * indexes the records so listing them never scans the keyspace. A process that stops
 * heartbeating counts as dead after `ALIVE_INTERVALS` intervals and disappears when its record
 * expires. Liveness is read from the record's remaining TTL, so the clocks of the api and the
 * workers need not agree.
 */
const ALIVE_INTERVALS = 3;
const RECORD_TTL_INTERVALS = 6;
/** The index outlives its members so an abandoned prefix does not keep it for ever. */
const INDEX_TTL_MS = 24 * 3600 * 1000;
/** Most records one listing reads. */
const MAX_LISTED = 1_000;

const activeStepSchema = z.object({
  stepId: z.string(),
  runId: z.string(),
  orgId: z.string(),
  startedAt: z.string(),
});

const workerRecordSchema = z.object({
  id: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  lastHeartbeatAt: z.string(),
  heartbeatIntervalMs: z.number().int().positive(),
  /** Jobs each of the process's BullMQ workers runs at once, by queue name. */
  concurrency: z.record(z.string(), z.number().int()),
  currentSteps: z.array(activeStepSchema),
});
export type WorkerRecord = z.infer<typeof workerRecordSchema>;

/** A workers process as the worker manager shows it. */
export type WorkerStatus = Omit<WorkerRecord, 'heartbeatIntervalMs'> & { alive: boolean };

const indexKey = (prefix: string) => `${prefix}:worker-registry`;
const recordKey = (prefix: string, workerId: string) => `${prefix}:worker-registry:${workerId}`;

/** Writes (or refreshes) the process's heartbeat record. */
export async function writeWorkerHeartbeat(
  redis: Redis,
  options: { prefix: string; record: WorkerRecord },
): Promise<void> {
  const { prefix, record } = options;
  await redis
    .multi()
    .set(
      recordKey(prefix, record.id),
      JSON.stringify(record),
      'PX',
      record.heartbeatIntervalMs * RECORD_TTL_INTERVALS,
    )
    .zadd(indexKey(prefix), Date.now(), record.id)
    .pexpire(indexKey(prefix), INDEX_TTL_MS)
    .exec();
}

/** Removes the process's record (graceful shutdown). */
export async function removeWorkerHeartbeat(
  redis: Redis,
  options: { prefix: string; workerId: string },
): Promise<void> {
  await redis
    .multi()
    .del(recordKey(options.prefix, options.workerId))
    .zrem(indexKey(options.prefix), options.workerId)
    .exec();
}

/** Every workers process with a record, the live ones first, then by start time. */
export async function listWorkerHeartbeats(
  redis: Redis,
  options: { prefix: string },
): Promise<WorkerStatus[]> {
  const { prefix } = options;
  const ids = await redis.zrange(indexKey(prefix), 0, MAX_LISTED - 1);
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.get(recordKey(prefix, id)).pttl(recordKey(prefix, id));
  const replies = (await pipeline.exec()) ?? [];

  const workers: WorkerStatus[] = [];
  const expired: string[] = [];
  ids.forEach((id, index) => {
    const [, raw] = replies[index * 2] ?? [];
    const [, ttl] = replies[index * 2 + 1] ?? [];
    if (typeof raw !== 'string') {
      expired.push(id);
      return;
    }
    const parsed = workerRecordSchema.safeParse(safeJson(raw));
    if (!parsed.success) return;
    const { heartbeatIntervalMs, ...record } = parsed.data;
    const ageMs = heartbeatIntervalMs * RECORD_TTL_INTERVALS - Number(ttl);
    workers.push({ ...record, alive: ageMs < heartbeatIntervalMs * ALIVE_INTERVALS });
  });
  if (expired.length > 0) await redis.zrem(indexKey(prefix), ...expired);
  return workers.sort(
    (a, b) => Number(b.alive) - Number(a.alive) || a.startedAt.localeCompare(b.startedAt),
  );
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
