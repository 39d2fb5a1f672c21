import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createRedis, pingRedis, type Logger } from '@switchyard/shared';

export type RedisHandle = { url: string; started: boolean; stop(): Promise<void> };

export class RedisUnavailableError extends Error {}

async function isRedisReachable(url: string): Promise<boolean> {
  const redis = createRedis(url, { lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await pingRedis(redis, 1_000);
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Uses the Redis at `url` when it answers; otherwise starts `redis-server` from PATH with its data
 * (append-only file) under `<dataDir>/redis`, so queued jobs survive a restart.
 */
export async function ensureRedis(options: {
  url: string;
  dataDir: string;
  log: Logger;
}): Promise<RedisHandle> {
  if (await isRedisReachable(options.url)) {
    return { url: options.url, started: false, stop: async () => undefined };
  }
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new RedisUnavailableError(
      `no Redis answers at ${options.url} and no redis-server is on PATH. Install Redis 7 (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis server.`,
    );
  }
  const port = new URL(options.url).port || '6379';
  const dir = path.resolve(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    ['--bind', '127.0.0.1', '--port', port, '--dir', dir, '--appendonly', 'yes', '--save', ''],
    // Its own process group: the terminal's Ctrl-C must not stop Redis under the draining apps.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.on('data', (chunk: Buffer) => options.log.debug({ redis: chunk.toString() }));
  child.stderr?.on('data', (chunk: Buffer) => options.log.debug({ redis: chunk.toString() }));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  for (let attempt = 0; attempt < 50; attempt++) {
    if (child.exitCode !== null) break;
    if (await isRedisReachable(options.url)) {
      options.log.info({ port, dir }, 'started redis-server');
      return {
        url: options.url,
        started: true,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(
    `redis-server did not start on port ${port}. Free the port or set REDIS_URL to a Redis server.`,
  );
}
