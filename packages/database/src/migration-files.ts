import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type MigrationFile = {
  /** File name, for example `0000_init.sql`; also the key recorded in `__migrations`. */
  name: string;
  sql: string;
  /** sha256 of the file with line endings normalised, to detect edits after it was applied. */
  hash: string;
};

export type MigrationsDirOptions = {
  /** Folder holding the `NNNN_*.sql` files. Found automatically when omitted. */
  migrationsDir?: string;
};

const MIGRATION_FILE = /^\d{4}_[\w-]+\.sql$/;

let defaultDir: string | undefined;
const filesByDir = new Map<string, Promise<MigrationFile[]>>();

/**
 * Where the SQL migrations live. An explicit `migrationsDir` wins. Otherwise every folder above
 * this module (`import.meta.url`) and above `process.cwd()` is tried, nearest first, for
 * `./migrations` or `./packages/database/migrations` holding drizzle-kit's `meta/_journal.json`.
 * That finds `packages/database/migrations` when running from source (vitest, tsx) and from an
 * app bundled into `apps/<app>/dist/` inside the repo or an image that keeps the repo layout. A
 * deployment with another layout copies the folder next to the bundle (`dist/migrations`) or
 * passes `migrationsDir`.
 */
export function resolveMigrationsDir(options: MigrationsDirOptions = {}): string {
  if (options.migrationsDir !== undefined) {
    const dir = resolve(options.migrationsDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new Error(`Migrations folder ${dir} does not exist.`);
    }
    return dir;
  }
  defaultDir ??= findMigrationsDir(defaultSearchStarts());
  return defaultDir;
}

function defaultSearchStarts(): string[] {
  const starts = [process.cwd()];
  // In a bundle this is the bundle's own file, for example apps/api/dist/server.js.
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    starts.unshift(dirname(fileURLToPath(import.meta.url)));
  }
  return starts;
}

/** The nearest migrations folder at or above any of `starts`, tried in order. */
export function findMigrationsDir(starts: string[]): string {
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      for (const candidate of [
        join(dir, 'migrations'),
        join(dir, 'packages/database/migrations'),
      ]) {
        if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
      }
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `Cannot find the database migrations folder above ${starts.join(' or ')}; pass migrationsDir.`,
  );
}

/** The migration files of `dir` in apply order, read once per process and then served from memory. */
export function listMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let files = filesByDir.get(dir);
  if (!files) {
    files = readMigrationFiles(dir);
    // A failed read (folder missing) is retried next time rather than cached.
    files.catch(() => filesByDir.delete(dir));
    filesByDir.set(dir, files);
  }
  return files;
}

async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = (await readFile(join(dir, name), 'utf8')).replaceAll('\r\n', '\n');
      return { name, sql, hash: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}
