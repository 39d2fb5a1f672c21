// Container healthcheck for the Node images, which carry neither curl nor wget:
//   node healthcheck.mjs http://127.0.0.1:4000/readyz
// Exits 0 when the URL answers 2xx or 3xx within the timeout, and 1 otherwise: Docker's "healthy"
// and "unhealthy" (2 is reserved by Docker, so a usage error is 1 too).

const TIMEOUT_MS = 4_000;

const url = process.argv[2];
if (url === undefined || url === '') {
  process.stderr.write('usage: node healthcheck.mjs <url>\n');
  process.exit(1);
}

try {
  const response = await fetch(url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (response.status >= 200 && response.status < 400) process.exit(0);
  process.stderr.write(`${url} answered ${response.status}\n`);
} catch (error) {
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  process.stderr.write(`${url}: ${reason instanceof Error ? reason.message : String(reason)}\n`);
}
process.exit(1);
