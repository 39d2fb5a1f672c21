import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// nginx lives in /usr/sbin, which is not on every user's PATH.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of the executable `name` on PATH or in the sbin folders; undefined if absent. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next folder.
    }
  }
  return undefined;
}

/** Like `findExecutable`, but a missing tool is an error that says how to install it. */
export function requireExecutable(name: string, installHint: string): string {
  const path = findExecutable(name);
  if (path === undefined) {
    throw new Error(`${name} is not installed, and this test needs it: ${installHint}`);
  }
  return path;
}
