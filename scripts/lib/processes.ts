import { spawn, type ChildProcess } from 'node:child_process';

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];
const RESET = '\x1b[0m';

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
};

/** Writes each line of `stream` to `out` behind a coloured `[name]` prefix. */
function pipeWithPrefix(
  stream: NodeJS.ReadableStream | null,
  prefix: string,
  out: NodeJS.WriteStream,
): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  });
  stream.on('end', () => {
    if (buffered) out.write(`${prefix} ${buffered}\n`);
  });
}

export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  index: number;
}): ManagedProcess {
  const useColor = process.stdout.isTTY;
  const label = options.name.padEnd(7);
  const color = COLORS[options.index % COLORS.length] ?? '';
  const prefix = useColor ? `${color}[${label}]${RESET}` : `[${label}]`;
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in the terminal reaches only the start script, which then
    // sends each app exactly one SIGTERM (a second signal would make the apps skip draining).
    detached: true,
  });
  // Never leave an app running if the start script itself dies.
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  pipeWithPrefix(child.stdout, prefix, process.stdout);
  pipeWithPrefix(child.stderr, prefix, process.stderr);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? null : code));
    child.once('error', () => resolve(1));
  });
  return { name: options.name, child, exited };
}

/** SIGTERM every process, then SIGKILL whatever is still running after `timeoutMs`. */
export async function stopAll(processes: ManagedProcess[], timeoutMs: number): Promise<void> {
  for (const proc of processes) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  }
  const deadline = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), timeoutMs).unref(),
  );
  const result = await Promise.race([Promise.all(processes.map((p) => p.exited)), deadline]);
  if (result === 'timeout') {
    for (const proc of processes) {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  }
}

/** Polls `url` until it answers with a status below 500 or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

export async function runToCompletion(options: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}): Promise<number | null> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: 'inherit',
  });
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(1));
  });
}
