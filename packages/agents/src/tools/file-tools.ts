import { buffer, text } from 'node:stream/consumers';
import { isAppError } from '@switchyard/shared';
import { orgObjectKey } from '@switchyard/storage';
import { z } from 'zod';
import { ToolError } from './tool-error';
import { defineTool } from './types';

/** Agents' files live under `orgs/<orgId>/files/` in storage. */
export const AGENT_FILES_FOLDER = 'files';
/** Largest file `read_file` returns and `write_file` writes (256 KiB). */
export const MAX_AGENT_FILE_BYTES = 256 * 1024;

const filePath = z
  .string()
  .min(1)
  .max(512)
  .describe('Relative path inside the organisation\'s files, e.g. "reports/summary.md"');

/** The storage key of an agent file; refuses paths that are not plain relative paths. */
export function agentFileKey(orgId: string, path: string): string {
  try {
    return orgObjectKey(orgId, `${AGENT_FILES_FOLDER}/${path}`);
  } catch (error) {
    if (isAppError(error)) {
      throw new ToolError('invalid_arguments', `Invalid file path "${path}": ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

export const readFileArgumentsSchema = z.object({ path: filePath });

/** `read_file`: a text file from the organisation's files. */
export const readFileTool = defineTool({
  name: 'read_file',
  description: "Read a text file from the organisation's files.",
  parameters: readFileArgumentsSchema,
  sideEffects: false,
  async execute({ path }, context) {
    const object = await context.storage.get(agentFileKey(context.orgId, path));
    if (!object) throw new ToolError('not_found', `No file at "${path}"`);
    if (object.size > MAX_AGENT_FILE_BYTES) {
      object.body.destroy();
      throw new ToolError('too_large', `"${path}" is larger than ${MAX_AGENT_FILE_BYTES} bytes`);
    }
    return {
      path,
      contentType: object.contentType,
      size: object.size,
      content: await text(object.body),
    };
  },
});

export const writeFileArgumentsSchema = z.object({
  path: filePath,
  content: z.string().describe('The whole new content of the file (UTF-8 text)'),
  contentType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/)
    .optional()
    .describe('MIME type, text/plain by default'),
});

/**
 * `write_file`: creates or replaces a text file in the organisation's files. A side effect: the
 * engine records it by idempotency key, so a retried step does not write again.
 */
export const writeFileTool = defineTool({
  name: 'write_file',
  description: "Create or replace a text file in the organisation's files.",
  parameters: writeFileArgumentsSchema,
  sideEffects: true,
  async execute({ path, content, contentType }, context) {
    const body = Buffer.from(content, 'utf8');
    if (body.length > MAX_AGENT_FILE_BYTES) {
      throw new ToolError('too_large', `Content is larger than ${MAX_AGENT_FILE_BYTES} bytes`);
    }
    const key = agentFileKey(context.orgId, path);
    try {
      const { size } = await context.storage.put(key, body, {
        contentType: contentType ?? 'text/plain; charset=utf-8',
        maxBytes: MAX_AGENT_FILE_BYTES,
      });
      return { path, size };
    } catch (error) {
      if (isAppError(error) && error.code === 'CONFLICT') {
        throw new ToolError('invalid_arguments', error.message, { cause: error });
      }
      throw error;
    }
  },
  // Storage writes are atomic (a temporary file renamed into place): the file holds either the
  // new content, and the write landed, or not, and writing it now is its one and only time.
  async reconcile({ path, content }, context) {
    const object = await context.storage.get(agentFileKey(context.orgId, path));
    if (!object) return { landed: false };
    const expected = Buffer.from(content, 'utf8');
    if (object.size !== expected.length) {
      object.body.destroy();
      return { landed: false };
    }
    const stored = await buffer(object.body);
    return stored.equals(expected)
      ? { landed: true, result: { path, size: stored.length } }
      : { landed: false };
  },
});
