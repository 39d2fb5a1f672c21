import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@switchyard/shared';
import { createLocalDiskStorage } from '@switchyard/storage';
import type { ToolContext } from '../types';

/** A tool context over a fresh temporary storage folder; `cleanup` removes the folder. */
export async function createTestToolContext(
  overrides: Partial<ToolContext> = {},
): Promise<{ context: ToolContext; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'switchyard-tools-'));
  const context: ToolContext = {
    orgId: 'org-test',
    runId: 'run-test',
    stepId: 'step-test',
    idempotencyKey: 'step-test:call-1',
    signal: new AbortController().signal,
    storage: createLocalDiskStorage({ root }),
    log: createLogger({ name: 'tools-test', level: 'silent' }),
    ...overrides,
  };
  return { context, cleanup: () => rm(root, { recursive: true, force: true }) };
}
