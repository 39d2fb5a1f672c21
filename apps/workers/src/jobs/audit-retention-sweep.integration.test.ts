import { Job, Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuditEvent } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from '../queues';
import {
  createSilentLogger,
  createTestQueuePrefix,
  createTestWorkersConfig,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from '../testing/test-workers-config';
import { startWorkers, type WorkersApp } from '../worker-app';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('audit-retention-sweep job', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;
  let app: WorkersApp;
  let queue: Queue;
  let queueEvents: QueueEvents;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startWorkers(createTestWorkersConfig({ databaseUrl: database.url, queuePrefix }), {
      logger: createSilentLogger(),
    });
    // A separate producer, as the API or a scheduler in another process would use.
    queue = new Queue(MAINTENANCE_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix: queuePrefix,
    });
    queueEvents = new QueueEvents(MAINTENANCE_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix: queuePrefix,
    });
    await queueEvents.waitUntilReady();
  });

  afterAll(async () => {
    await queueEvents?.close();
    await queue?.close();
    await app?.close();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  async function insertEventAged(days: number): Promise<string> {
    const event = await insertAuditEvent(database.db, { orgId: null, action: `test.aged-${days}` });
    await database.pool.query('update audit_log set created_at = $1 where id = $2', [
      new Date(Date.now() - days * DAY_MS),
      event.id,
    ]);
    return event.id;
  }

  it('deletes only events older than the retention period, in batches, and reports the count', async () => {
    const expired = [
      await insertEventAged(900),
      await insertEventAged(400),
      await insertEventAged(400),
      await insertEventAged(366),
      await insertEventAged(365.5),
    ];
    const kept = [await insertEventAged(364), await insertEventAged(10), await insertEventAged(0)];

    // batchSize 2 makes the five expired rows take three delete statements.
    const job = await queue.add(MAINTENANCE_JOBS.auditRetentionSweep, {
      retentionDays: 365,
      batchSize: 2,
    });
    const result: unknown = await job.waitUntilFinished(queueEvents);

    expect(result).toEqual({ deleted: expired.length });
    const { rows } = await database.pool.query<{ id: string }>('select id from audit_log');
    expect(rows.map((row) => row.id).sort()).toEqual([...kept].sort());
  });

  it('finds nothing to delete when run again', async () => {
    const job = await queue.add(MAINTENANCE_JOBS.auditRetentionSweep, { retentionDays: 365 });

    expect(await job.waitUntilFinished(queueEvents)).toEqual({ deleted: 0 });
  });

  it('fails an invalid payload at once with UnrecoverableError, without using its retries', async () => {
    const job = await queue.add(
      MAINTENANCE_JOBS.auditRetentionSweep,
      { retentionDays: 0, unexpected: true },
      { attempts: 3, backoff: { type: 'fixed', delay: 10 } },
    );

    await expect(job.waitUntilFinished(queueEvents)).rejects.toThrow(
      /Invalid audit-retention-sweep payload: retentionDays: .*; \(payload\): Unrecognized key/,
    );
    const failed = await Job.fromId(queue, job.id ?? '');
    expect(await failed?.getState()).toBe('failed');
    expect(failed?.attemptsMade).toBe(1);
    expect((failed?.stacktrace ?? []).join('\n')).toContain('UnrecoverableError');
  });

  it('fails a job whose name has no processor without retrying it', async () => {
    const job = await queue.add('no-such-job', {}, { attempts: 3 });

    await expect(job.waitUntilFinished(queueEvents)).rejects.toThrow(
      /No processor for job "no-such-job"/,
    );
    const failed = await Job.fromId(queue, job.id ?? '');
    expect(failed?.attemptsMade).toBe(1);
  });
});
