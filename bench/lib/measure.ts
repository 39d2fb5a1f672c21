import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import type { CpuMessage, ServingMessage } from './bench-server';

/**
 * How to load the servers. Targets are measured in alternating rounds (A B A B …) rather than
 * one after the other, so that load from other work on the machine, which comes and goes,
 * affects every target alike and their ratio stays meaningful.
 */
export type LoadOptions = {
  connections: number;
  /** Load per target before measuring (JIT, caches, connection pools). */
  warmupSeconds: number;
  rounds: number;
  roundSeconds: number;
};

/** One round of one target. */
export type Round = {
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuMicros: number;
  errors: number;
  non2xx: number;
};

/** One target's figures over all its rounds. */
export type Row = {
  target: string;
  /** Requests of all rounds over their total duration. */
  requestsPerSecond: number;
  /** Median over the rounds. */
  latencyP50Ms: number;
  /** Median over the rounds. */
  latencyP99Ms: number;
  /** Server CPU time per request: unlike req/s, barely moved by other load on the machine. */
  cpuMicrosPerRequest: number;
  requests: number;
  errors: number;
  non2xx: number;
  rounds: Round[];
};

/** A target to measure: `script --serve <name> ...args` serves it (see `serveBenchTarget`). */
export type TargetSpec = { name: string; args?: string[] };

type RunningServer = {
  name: string;
  child: ChildProcess;
  url: string;
  headers: Record<string, string>;
};

/**
 * `BENCH_CPU_PROFILE_DIR=<dir>` writes a V8 CPU profile of every server process there (open it in
 * Chrome DevTools' Performance panel), to see where a request's time goes.
 */
function profileFlags(): string[] {
  const directory = process.env.BENCH_CPU_PROFILE_DIR;
  return directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : [];
}

/** Forks the target's server process and waits until it serves. */
async function startServer(script: string, spec: TargetSpec): Promise<RunningServer> {
  const child = fork(script, ['--serve', spec.name, ...(spec.args ?? [])], {
    execArgv: ['--import', 'tsx', ...profileFlags()],
    // stdout is /dev/null: servers log there as in production (pino's default asynchronous
    // stdout destination), without flooding the terminal. Errors still reach stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`benchmark server ${spec.name} exited with code ${String(code)}`);
  });
  const [message] = (await Promise.race([once(child, 'message'), exited])) as [ServingMessage];
  return {
    name: spec.name,
    child,
    url: `http://127.0.0.1:${message.port}${message.path}`,
    headers: message.headers,
  };
}

async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  await exited;
}

async function runRound(server: RunningServer, load: LoadOptions): Promise<Round> {
  server.child.send('start');
  const result = await autocannon({
    url: server.url,
    headers: server.headers,
    connections: load.connections,
    duration: load.roundSeconds,
  });
  server.child.send('stop');
  const [{ cpuMicros }] = (await once(server.child, 'message')) as [CpuMessage];
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    cpuMicros,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function summarize(target: string, rounds: Round[], load: LoadOptions): Row {
  const sum = (pick: (round: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const requests = sum((round) => round.requests);
  return {
    target,
    requestsPerSecond: Math.round(requests / (rounds.length * load.roundSeconds)),
    latencyP50Ms: median(rounds.map((round) => round.latencyP50Ms)),
    latencyP99Ms: median(rounds.map((round) => round.latencyP99Ms)),
    cpuMicrosPerRequest:
      Math.round((sum((round) => round.cpuMicros) / Math.max(requests, 1)) * 10) / 10,
    requests,
    errors: sum((round) => round.errors),
    non2xx: sum((round) => round.non2xx),
    rounds,
  };
}

/**
 * Starts every target's server in its own process (they run side by side, idle while not
 * loaded), warms each up, then measures them in alternating rounds. Servers are stopped
 * afterwards in any case. Returns one row per target, in the order given.
 */
export async function measureTargets(
  script: string,
  specs: TargetSpec[],
  load: LoadOptions,
): Promise<Row[]> {
  const servers: RunningServer[] = [];
  try {
    for (const spec of specs) servers.push(await startServer(script, spec));
    for (const server of servers) {
      await autocannon({
        url: server.url,
        headers: server.headers,
        connections: load.connections,
        duration: load.warmupSeconds,
      });
    }
    const rounds = new Map<string, Round[]>(servers.map((server) => [server.name, []]));
    for (let round = 0; round < load.rounds; round += 1) {
      for (const server of servers) rounds.get(server.name)?.push(await runRound(server, load));
    }
    return servers.map((server) => summarize(server.name, rounds.get(server.name) ?? [], load));
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}

/** `--serve <target>` when this process is a benchmark child, else null. */
export function readServeTarget<T extends string>(allowed: readonly T[]): T | null {
  const index = process.argv.indexOf('--serve');
  if (index === -1) return null;
  const value = process.argv[index + 1];
  const target = allowed.find((candidate) => candidate === value);
  if (!target) throw new Error(`unknown benchmark target ${String(value)}`);
  return target;
}

/** The value following `--<name>` on this process's command line. */
export function readArg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
