import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askHumanTool } from './ask-human-tool';
import { calculatorTool } from './calculator-tool';
import { createCurrentTimeTool } from './current-time-tool';
import { MAX_AGENT_FILE_BYTES, readFileTool, writeFileTool } from './file-tools';
import { createHandoffTool, handoffTool } from './handoff-tool';
import { createTestToolContext } from './testing/create-test-tool-context';
import { ToolError } from './tool-error';
import { runTool } from './tool-registry';
import type { ToolContext } from './types';

let context: ToolContext;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ context, cleanup } = await createTestToolContext({ orgId: 'org-a' }));
});
afterEach(() => cleanup());

async function toolError(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('calculator', () => {
  it('evaluates the expression', async () => {
    expect(await runTool(calculatorTool, { expression: '(2 + 3) * 4 ^ 2' }, context)).toEqual({
      expression: '(2 + 3) * 4 ^ 2',
      result: 80,
    });
  });

  it('reports a bad expression as invalid arguments', async () => {
    const error = await toolError(
      runTool(calculatorTool, { expression: 'require("fs")' }, context),
    );
    expect(error.code).toBe('invalid_arguments');
  });
});

describe('current_time', () => {
  const tool = createCurrentTimeTool({ now: () => new Date('2025-03-01T12:30:00Z') });

  it('tells the time in UTC by default and in a given time zone', async () => {
    expect(await runTool(tool, {}, context)).toMatchObject({
      iso: '2025-03-01T12:30:00.000Z',
      timezone: 'UTC',
    });
    const tokyo = await runTool(tool, { timezone: 'Asia/Tokyo' }, context);
    expect(tokyo).toMatchObject({ timezone: 'Asia/Tokyo' });
    expect((tokyo as { local: string }).local).toMatch(/9:30:00 PM/);
  });

  it('refuses an unknown time zone', async () => {
    expect((await toolError(runTool(tool, { timezone: 'Mars/Olympus' }, context))).code).toBe(
      'invalid_arguments',
    );
  });
});

describe('write_file and read_file', () => {
  it('writes a file under the org folder and reads it back', async () => {
    expect(
      await runTool(writeFileTool, { path: 'reports/q1.md', content: '# Q1\n' }, context),
    ).toEqual({ path: 'reports/q1.md', size: 5 });
    const stored = await context.storage.get('orgs/org-a/files/reports/q1.md');
    expect(stored ? await text(stored.body) : null).toBe('# Q1\n');
    expect(await runTool(readFileTool, { path: 'reports/q1.md' }, context)).toEqual({
      path: 'reports/q1.md',
      contentType: 'text/plain; charset=utf-8',
      size: 5,
      content: '# Q1\n',
    });
  });

  it('declares write_file as a side effect and read_file as none', () => {
    expect(writeFileTool.sideEffects).toBe(true);
    expect(readFileTool.sideEffects).toBe(false);
  });

  it("cannot reach another org's files", async () => {
    await context.storage.put('orgs/org-b/files/secret.txt', Buffer.from('b only'), {
      contentType: 'text/plain',
    });
    for (const path of [
      '../../org-b/files/secret.txt',
      '/orgs/org-b/files/secret.txt',
      'a\\..\\b',
    ]) {
      expect((await toolError(runTool(readFileTool, { path }, context))).code).toBe(
        'invalid_arguments',
      );
      expect((await toolError(runTool(writeFileTool, { path, content: 'x' }, context))).code).toBe(
        'invalid_arguments',
      );
    }
    const asOrgA = await toolError(runTool(readFileTool, { path: 'secret.txt' }, context));
    expect(asOrgA.code).toBe('not_found');
  });

  it('refuses content over the size limit', async () => {
    const error = await toolError(
      runTool(
        writeFileTool,
        { path: 'big.txt', content: 'x'.repeat(MAX_AGENT_FILE_BYTES + 1) },
        context,
      ),
    );
    expect(error.code).toBe('too_large');
  });
});

describe('ask_human', () => {
  it('needs approval and returns the answer given with it', async () => {
    expect(askHumanTool.needsApproval).toBe(true);
    expect(
      await runTool(
        askHumanTool,
        { question: 'Ship it?' },
        { ...context, approval: { answer: 'Yes' } },
      ),
    ).toEqual({ question: 'Ship it?', answer: 'Yes' });
    expect(await runTool(askHumanTool, { question: 'Ship it?' }, context)).toEqual({
      question: 'Ship it?',
      answer: null,
    });
  });
});

describe('handoff', () => {
  it('returns the agent to hand off to and the message', async () => {
    expect(await runTool(handoffTool, { agent: 'writer', message: 'Draft it' }, context)).toEqual({
      handoffTo: 'writer',
      message: 'Draft it',
    });
  });

  it('can be restricted to the team members', async () => {
    const tool = createHandoffTool({ agents: ['writer', 'reviewer'] });
    expect(await runTool(tool, { agent: 'reviewer', message: 'Check' }, context)).toEqual({
      handoffTo: 'reviewer',
      message: 'Check',
    });
    expect(
      (await toolError(runTool(tool, { agent: 'intruder', message: 'x' }, context))).code,
    ).toBe('invalid_arguments');
  });
});
