/** One dependency check: resolves `null` when healthy, else a short reason safe to show. */
type ReadinessCheck = () => Promise<string | null>;

export type ReadinessChecks = Readonly<Record<string, ReadinessCheck>>;

type CheckOutcome = { status: 'ok' } | { status: 'failing'; reason: string };

export type ReadinessReport = {
  ready: boolean;
  checks: Record<string, CheckOutcome>;
  /** Names of the failing checks, in declaration order. */
  failing: string[];
};

/** Runs every check in parallel; a check that throws or outlives `timeoutMs` counts as failing. */
export async function runReadinessChecks(
  checks: ReadinessChecks,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const outcomes = await Promise.all(
    names.map((name) => {
      const check = checks[name];
      return check ? runOne(check, timeoutMs) : Promise.resolve(failing('not configured'));
    }),
  );
  const report: ReadinessReport = { ready: true, checks: {}, failing: [] };
  names.forEach((name, index) => {
    const outcome = outcomes[index] ?? failing('no result');
    report.checks[name] = outcome;
    if (outcome.status === 'failing') report.failing.push(name);
  });
  report.ready = report.failing.length === 0;
  return report;
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const reason = await Promise.race([check(), timeout]);
    return reason === null ? { status: 'ok' } : failing(reason);
  } catch {
    return failing('check failed');
  } finally {
    clearTimeout(timer);
  }
}

function failing(reason: string): CheckOutcome {
  return { status: 'failing', reason };
}
