/**
 * `npm run bench:http`: requests per second and latency of the API's `/healthz` (everything
 * `buildApp()` adds: request ids, one log line per request, helmet, CORS, zod serialisation)
 * against a bare Fastify app answering the same JSON. Each server runs in its own process so it
 * does not share an event loop with the load generator. Writes bench/results/http.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createLogger } from '@switchyard/shared';
import { buildApp } from '../apps/api/src/app';
import { loadApiConfig } from '../apps/api/src/env';

const CONNECTIONS = 50;
const DURATION_S = 10;
const WARMUP_S = 2;
const RESULTS_FILE = fileURLToPath(new URL('./results/http.json', import.meta.url));

type Target = 'bare' | 'ours';

/** Child mode: start one server on a random port and report the port to the parent. */
async function serve(target: Target): Promise<void> {
  const app = target === 'bare' ? buildBareApp() : await buildOurApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  // CPU time this server spends, reported between the parent's 'start' and 'stop' messages.
  let started = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'start') started = process.cpuUsage();
    if (message === 'stop') {
      const used = process.cpuUsage(started);
      process.send?.({ cpuMicros: used.user + used.system });
    }
  });
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

function buildBareApp() {
  const app = Fastify();
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

async function buildOurApp() {
  // Production settings. Log lines are written synchronously like pino's default stdout
  // destination, but to /dev/null so the terminal is not flooded: the cost measured is building
  // and writing each line, which is what production pays.
  const config = loadApiConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUTH_SECRET: randomBytes(48).toString('base64'),
  });
  const devNull = openSync('/dev/null', 'w');
  const logger = createLogger({
    name: 'api',
    level: config.logLevel,
    destination: { write: (line: string) => writeSync(devNull, line) },
  });
  // /healthz does no I/O: the default PostgreSQL and Redis clients are created but never connect.
  return buildApp(config, { logger });
}

async function startServer(target: Target): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', target], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `http://127.0.0.1:${message.port}/healthz` };
}

type Row = {
  target: Target;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyAverageMs: number;
  /** Server CPU time per request: unlike req/s, barely moved by other load on the machine. */
  cpuMicrosPerRequest: number;
  requests: number;
  errors: number;
  non2xx: number;
};

async function measure(target: Target): Promise<Row> {
  const { child, url } = await startServer(target);
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S });
    child.send('start');
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
    child.send('stop');
    const [{ cpuMicros }] = (await once(child, 'message')) as [{ cpuMicros: number }];
    return {
      target,
      requestsPerSecond: Math.round(result.requests.average),
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      latencyAverageMs: Math.round(result.latency.average * 100) / 100,
      cpuMicrosPerRequest: Math.round((cpuMicros / result.requests.total) * 10) / 10,
      requests: result.requests.total,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

function printTable(rows: Row[], ratio: number, cpuRatio: number): void {
  const header = ['server', 'req/s', 'p50 ms', 'p99 ms', 'avg ms', 'CPU µs/req', 'errors'];
  const body = rows.map((row) => [
    row.target === 'bare' ? 'bare fastify' : 'buildApp()',
    String(row.requestsPerSecond),
    String(row.latencyP50Ms),
    String(row.latencyP99Ms),
    String(row.latencyAverageMs),
    String(row.cpuMicrosPerRequest),
    String(row.errors + row.non2xx),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...body.map((r) => r[i]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `\nGET /healthz, ${CONNECTIONS} connections, ${DURATION_S}s each after ${WARMUP_S}s warm-up`,
  );
  console.log(format(header));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const cells of body) console.log(format(cells));
  console.log(`\nours/bare throughput ratio: ${ratio.toFixed(2)}`);
  console.log(
    `bare/ours CPU-per-request ratio: ${cpuRatio.toFixed(2)} (less sensitive to other load)`,
  );
}

async function main(): Promise<void> {
  const bare = await measure('bare');
  const ours = await measure('ours');
  const ratio = ours.requestsPerSecond / bare.requestsPerSecond;
  const cpuRatio = bare.cpuMicrosPerRequest / ours.cpuMicrosPerRequest;
  printTable([bare, ours], ratio, cpuRatio);

  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    connections: CONNECTIONS,
    durationSeconds: DURATION_S,
    warmupSeconds: WARMUP_S,
    results: { bare, ours },
    ratio: Math.round(ratio * 100) / 100,
    cpuRatio: Math.round(cpuRatio * 100) / 100,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

const serveIndex = process.argv.indexOf('--serve');
const serveTarget = process.argv[serveIndex + 1];
if (serveIndex !== -1 && (serveTarget === 'bare' || serveTarget === 'ours')) {
  await serve(serveTarget);
} else {
  await main();
}
