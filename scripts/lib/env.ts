import path from 'node:path';
import { z } from 'zod';
import { settings } from '@switchyard/shared';

/** Settings the start script itself reads; the apps validate their own on boot. */
export const startEnvSchema = z.object({
  DATABASE_URL: settings.postgresUrl().optional(),
  REDIS_URL: settings.redisUrl().optional(),
  DATA_DIR: z.string().default('.data'),
  API_PORT: settings.port(4000),
  WEB_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: settings.port(3000),
  WORKERS_HEALTH_PORT: settings.port(4001),
  PUBLIC_URL: settings.httpUrl().optional(),
  LOG_LEVEL: settings.logLevel(),
});

export type StartConfig = z.infer<typeof startEnvSchema>;

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Loads `.env` from the repository root when present (Node's own parser). */
export function loadDotEnv(): void {
  try {
    process.loadEnvFile(path.join(REPO_ROOT, '.env'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
