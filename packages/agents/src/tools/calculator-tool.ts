import { z } from 'zod';
import { evaluateExpression, ExpressionError, MAX_EXPRESSION_LENGTH } from './evaluate-expression';
import { ToolError } from './tool-error';
import { defineTool } from './types';

export const calculatorArgumentsSchema = z.object({
  expression: z
    .string()
    .min(1)
    .max(MAX_EXPRESSION_LENGTH)
    .describe('Arithmetic with + - * / ^ and parentheses, e.g. "(2 + 3) * 4"'),
});

/** `calculator`: exact arithmetic through a safe parser (never `eval`). */
export const calculatorTool = defineTool({
  name: 'calculator',
  description: 'Evaluate an arithmetic expression (+ - * / ^, parentheses, decimals).',
  parameters: calculatorArgumentsSchema,
  sideEffects: false,
  async execute({ expression }) {
    try {
      return { expression, result: evaluateExpression(expression) };
    } catch (error) {
      if (error instanceof ExpressionError) {
        throw new ToolError('invalid_arguments', error.message, { cause: error });
      }
      throw error;
    }
  },
});
