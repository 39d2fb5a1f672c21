/**
 * One error type for the whole platform. Every failure that reaches a transport is an
 * `AppError` with a code from a closed set; the transport maps it through `ERROR_TABLE`.
 */
export const ERROR_TABLE = {
  BAD_REQUEST: { status: 400, title: 'Bad Request' },
  VALIDATION_FAILED: { status: 400, title: 'Validation Failed' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not Found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable Content' },
  RATE_LIMITED: { status: 429, title: 'Too Many Requests' },
  INTERNAL: { status: 500, title: 'Internal Server Error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service Unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** One failing input field, as reported in problem+json `errors`. */
export type FieldError = { path: string; message: string };

export type AppErrorOptions = {
  /** Safe, user-facing sentence. Defaults to the code's title. */
  message?: string;
  /** The underlying error; logged, never sent to clients. */
  cause?: unknown;
  /** Structured, client-safe details (for example the failing fields). */
  details?: { errors?: FieldError[]; [key: string]: unknown };
  /** Extra response headers such as `Retry-After`. */
  headers?: Record<string, string>;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: AppErrorOptions['details'];
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? ERROR_TABLE[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** RFC 9457 problem details body. */
export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
  [key: string]: unknown;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Maps any thrown value to a problem+json body. Unknown errors become a generic 500 so that no
 * internal message or stack ever reaches a client.
 */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  const appError = isAppError(error) ? error : new AppError('INTERNAL', { cause: error });
  const entry = ERROR_TABLE[appError.code];
  const { errors, ...rest } = appError.details ?? {};
  const detail = appError.code === 'INTERNAL' ? 'An unexpected error occurred.' : appError.message;
  return {
    ...rest,
    type: `https://switchyard.dev/problems/${appError.code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    detail,
    code: appError.code,
    ...(instance === undefined ? {} : { instance }),
    ...(errors === undefined ? {} : { errors }),
  };
}
