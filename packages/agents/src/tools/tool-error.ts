export type ToolErrorCode =
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'refused'
  | 'not_found'
  | 'too_large'
  | 'timeout'
  | 'failed';

/**
 * A tool failure whose message is safe to hand back to the model as the tool's result.
 * `retryable` failures (a network error, a timeout) may succeed if the step is retried.
 */
export class ToolError extends Error {
  readonly code: ToolErrorCode;
  readonly retryable: boolean;

  constructor(
    code: ToolErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isToolError(value: unknown): value is ToolError {
  return value instanceof ToolError;
}
