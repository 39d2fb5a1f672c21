/**
 * `npm run bench:http`: requests per second and latency of the API's `/healthz` (everything
 * `buildApp()` adds: request ids, one log line per request, helmet, CORS, zod serialisation)
 * against a bare Fastify app answering the same JSON. Each server runs in its own process so it
 * does not share an event loop with the load generator. Writes bench/results/http.json.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { buildApp } from '../apps/api/src/app';
import { loadApiConfig } from '../apps/api/src/env';
import { serveBenchTarget } from './lib/bench-server';
import { measureTargets, readServeTarget, type LoadOptions } from './lib/measure';
import { describeLoad, printRows, round2, writeReport } from './lib/report';

const LOAD: LoadOptions = { connections: 50, warmupSeconds: 2, rounds: 2, roundSeconds: 5 };
const SCRIPT = fileURLToPath(import.meta.url);
const RESULTS_FILE = fileURLToPath(new URL('./results/http.json', import.meta.url));
const TARGETS = ['bare', 'ours'] as const;
type Target = (typeof TARGETS)[number];

function buildBareApp() {
  const app = Fastify();
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

async function buildOurApp() {
  // Production settings, and production's logger: one line per request to stdout (which the
  // benchmark points at /dev/null). /healthz does no I/O: the default PostgreSQL and Redis
  // clients are created but never connect.
  const config = loadApiConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUTH_SECRET: randomBytes(48).toString('base64'),
  });
  return buildApp(config);
}

async function serve(target: Target): Promise<void> {
  const app = target === 'bare' ? buildBareApp() : await buildOurApp();
  await serveBenchTarget({ app, path: '/healthz' });
}

async function main(): Promise<void> {
  const [bare, ours] = await measureTargets(SCRIPT, [{ name: 'bare' }, { name: 'ours' }], LOAD);
  if (!bare || !ours) throw new Error('a benchmark target produced no figures');
  const ratio = ours.requestsPerSecond / bare.requestsPerSecond;
  const cpuRatio = bare.cpuMicrosPerRequest / ours.cpuMicrosPerRequest;
  printRows(`GET /healthz, ${describeLoad(LOAD)}`, [
    { ...bare, label: 'bare fastify' },
    { ...ours, label: 'buildApp()' },
  ]);
  console.log(`\nours/bare throughput ratio: ${ratio.toFixed(2)}`);
  console.log(
    `bare/ours CPU-per-request ratio: ${cpuRatio.toFixed(2)} (less sensitive to other load)`,
  );
  writeReport(RESULTS_FILE, LOAD, {
    results: { bare, ours },
    ratio: round2(ratio),
    cpuRatio: round2(cpuRatio),
  });
}

const serveTarget = readServeTarget(TARGETS);
if (serveTarget) {
  await serve(serveTarget);
} else {
  await main();
}
