import { z } from 'zod';
import { PROVIDER_IDS } from '../providers';

/** Most items a list page returns. */
export const MAX_LIST_LIMIT = 100;

export const listPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListPageInput = z.input<typeof listPageSchema>;

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export const agentParametersSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(200_000).optional(),
  })
  .strict();

/** Every field of an agent; an update sends any subset and gets a new version. */
export const agentFieldsSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    instructions: z.string().trim().min(1).max(20_000),
    provider: z.enum(PROVIDER_IDS),
    model: z.string().trim().min(1).max(200),
    parameters: agentParametersSchema,
    tools: z
      .array(z.string().regex(TOOL_NAME, 'must be a tool name such as "http_fetch"'))
      .max(32)
      .refine((tools) => new Set(tools).size === tools.length, 'must not repeat a tool'),
    maxSteps: z.number().int().min(1).max(100),
    /** A JSON Schema object the final answer must match. */
    outputSchema: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict();

export const createAgentSchema = agentFieldsSchema.extend({
  parameters: agentParametersSchema.default({}),
  tools: agentFieldsSchema.shape.tools.default([]),
  maxSteps: agentFieldsSchema.shape.maxSteps.default(10),
  outputSchema: agentFieldsSchema.shape.outputSchema.default(null),
});
export type CreateAgentInput = z.input<typeof createAgentSchema>;

export const updateAgentSchema = agentFieldsSchema
  .partial()
  .refine((fields) => Object.keys(fields).length > 0, 'change at least one field');
export type UpdateAgentInput = z.input<typeof updateAgentSchema>;
