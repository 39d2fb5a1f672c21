import { describe, expect, it } from 'vitest';
import { runReadinessChecks } from './run-readiness-checks';

describe('runReadinessChecks', () => {
  it('is ready when every check passes', async () => {
    const report = await runReadinessChecks(
      { postgres: async () => null, redis: async () => null },
      1_000,
    );

    expect(report).toEqual({
      ready: true,
      checks: { postgres: { status: 'ok' }, redis: { status: 'ok' } },
      failing: [],
    });
  });

  it('names each failing check with its reason, a thrown error counting as a failure', async () => {
    const report = await runReadinessChecks(
      {
        postgres: async () => null,
        redis: async () => 'not reachable',
        migrations: async () => {
          throw new Error('relation "__migrations" does not exist');
        },
      },
      1_000,
    );

    expect(report.ready).toBe(false);
    expect(report.failing).toEqual(['redis', 'migrations']);
    expect(report.checks.redis).toEqual({ status: 'failing', reason: 'not reachable' });
    // The thrown message is internal; the report only says the check failed.
    expect(report.checks.migrations).toEqual({ status: 'failing', reason: 'check failed' });
  });

  it('fails a check that never answers once the timeout passes', async () => {
    const report = await runReadinessChecks(
      { postgres: () => new Promise<null>(() => undefined) },
      20,
    );

    expect(report.failing).toEqual(['postgres']);
    expect(report.checks.postgres).toEqual({ status: 'failing', reason: 'no answer within 20 ms' });
  });
});
