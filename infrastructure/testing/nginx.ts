import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './free-port';
import { requireExecutable } from './find-executable';
import { sendRequest } from './http-client';
import { repoPath } from './repo';

const NGINX_INSTALL_HINT = 'apt-get install nginx-light (or nginx); .ci/run installs it in CI';

/** nginx from PATH or /usr/sbin; a missing nginx fails the test with the install hint. */
function requireNginx(): string {
  return requireExecutable('nginx', NGINX_INSTALL_HINT);
}

export type NginxConfigOptions = {
  /** Listen on 127.0.0.1:<port> instead of the image's port 80. */
  listenPort?: number;
  /** Send web and api traffic to stand-ins on 127.0.0.1 instead of the compose hosts. */
  upstreams?: { webPort: number; apiPort: number };
};

export type PreparedNginxConfig = {
  prefix: string;
  confFile: string;
  accessLog: string;
  cleanup: () => Promise<void>;
};

/**
 * A scratch copy of config/nginx that runs outside the container: temp folders moved into the
 * copy, a minimal mime.types (the image ships its own), and the few edits the options ask for.
 * Each edit must match the shipped config exactly once, so a change there that breaks these
 * tests' assumptions fails loudly instead of being tested around.
 */
export async function prepareNginxConfig(
  options: NginxConfigOptions = {},
): Promise<PreparedNginxConfig> {
  const prefix = await mkdtemp(join(tmpdir(), 'switchyard-nginx-'));
  // Worker processes run as an unprivileged user when nginx starts as root; they must reach the
  // temp folders inside the copy.
  await chmod(prefix, 0o755);
  await cp(repoPath('config/nginx'), prefix, { recursive: true });
  await writeFile(
    join(prefix, 'mime.types'),
    'types {\n    text/html html;\n    text/css css;\n}\n',
  );

  const mainFile = join(prefix, 'nginx.conf');
  await editFile(mainFile, [
    ['/var/cache/nginx/', `${prefix}/`, 5],
    ['/var/log/nginx/access.log', `${prefix}/access.log`, 1],
  ]);

  const siteEdits: Array<[string, string, number]> = [];
  if (options.listenPort !== undefined) {
    siteEdits.push([
      'listen 80 default_server;',
      `listen 127.0.0.1:${options.listenPort} default_server;`,
      1,
    ]);
  }
  if (options.upstreams !== undefined) {
    siteEdits.push([
      'set $web_upstream web:3000;',
      `set $web_upstream 127.0.0.1:${options.upstreams.webPort};`,
      1,
    ]);
    siteEdits.push([
      'set $api_upstream api:4000;',
      `set $api_upstream 127.0.0.1:${options.upstreams.apiPort};`,
      1,
    ]);
  }
  await editFile(join(prefix, 'conf.d/switchyard.conf'), siteEdits);

  return {
    prefix,
    confFile: mainFile,
    accessLog: join(prefix, 'access.log'),
    cleanup: () => rm(prefix, { recursive: true, force: true }),
  };
}

/** Command-line settings kept out of nginx.conf on purpose (the image supplies its own). */
function commandLine(prepared: PreparedNginxConfig, extraGlobals = ''): string[] {
  return [
    '-p',
    `${prepared.prefix}/`,
    '-c',
    prepared.confFile,
    '-e',
    'stderr',
    '-g',
    `pid ${prepared.prefix}/nginx.pid;${extraGlobals}`,
  ];
}

/** `nginx -t` on a prepared copy: its exit status and everything it printed. */
export function checkNginxConfig(prepared: PreparedNginxConfig): {
  status: number | null;
  output: string;
} {
  const result = spawnSync(requireNginx(), ['-t', ...commandLine(prepared)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export type RunningNginx = {
  port: number;
  /** What nginx printed so far: its error log. */
  output: () => string;
  /** The access log written so far. */
  readAccessLog: () => Promise<string>;
  stop: () => Promise<void>;
};

const READY_ATTEMPTS = 200;

/**
 * Starts nginx in the foreground on a free 127.0.0.1 port in front of the given upstreams and
 * waits until its /healthz answers. `stop()` ends it and removes the scratch copy.
 */
export async function startNginx(upstreams: {
  webPort: number;
  apiPort: number;
}): Promise<RunningNginx> {
  const nginx = requireNginx();
  const port = await getFreePort();
  const prepared = await prepareNginxConfig({ listenPort: port, upstreams });
  const child = spawn(nginx, commandLine(prepared, ' daemon off;'), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      await exited;
    }
    await prepared.cleanup();
  };

  for (let attempt = 0; ; attempt += 1) {
    if (!running) {
      await prepared.cleanup();
      throw new Error(`nginx exited before it was ready:\n${output}`);
    }
    const answer = await sendRequest({ port, path: '/healthz' }).catch(() => undefined);
    if (answer?.status === 200) break;
    if (attempt >= READY_ATTEMPTS) {
      await stop();
      throw new Error(`nginx did not answer /healthz on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  return {
    port,
    output: () => output,
    readAccessLog: () => readFile(prepared.accessLog, 'utf8'),
    stop,
  };
}

async function editFile(file: string, edits: Array<[string, string, number]>): Promise<void> {
  let text = await readFile(file, 'utf8');
  for (const [from, to, expected] of edits) {
    const found = text.split(from).length - 1;
    if (found !== expected) {
      throw new Error(
        `${file} contains "${from}" ${found} times, expected ${expected}: update infrastructure/testing/nginx.ts to match config/nginx`,
      );
    }
    text = text.replaceAll(from, to);
  }
  await writeFile(file, text);
}
