import { z } from 'zod';

/** One failing input field, as the api reports it in problem+json `errors`. */
export type FieldError = { path: string; message: string };

const problemSchema = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const GENERIC_MESSAGES: Record<number, string> = {
  0: 'Could not reach the server. Check your connection and try again.',
  401: 'You are not signed in, or your session has ended. Log in and try again.',
  403: 'You do not have permission to do that.',
  404: 'Not found.',
  429: 'Too many attempts. Wait a little and try again.',
};

/**
 * A failed api call: an RFC 9457 problem answer, a network failure (status 0) or an answer this
 * app could not understand. `message` is always a sentence fit to show to the user.
 */
export class ApiError extends Error {
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  /** The api's error code (`VALIDATION_FAILED`, `UNAUTHENTICATED`, ...), `NETWORK` or `BAD_RESPONSE`. */
  readonly code: string;
  /** `details.reason` of the problem, e.g. `reauthentication_required` or `two_factor_required`. */
  readonly reason: string | null;
  readonly fieldErrors: FieldError[];
  /** Seconds from a `Retry-After` header, when the api sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    reason?: string | null;
    fieldErrors?: FieldError[];
    retryAfterSeconds?: number | null;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.reason = options.reason ?? null;
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** Builds the `ApiError` for a non-2xx answer from its status, parsed body and headers. */
export function toApiError(status: number, body: unknown, headers?: Headers): ApiError {
  const parsed = problemSchema.safeParse(body);
  const problem = parsed.success ? parsed.data : {};
  const retryAfter = Number(headers?.get('retry-after') ?? Number.NaN);
  return new ApiError({
    status,
    code: problem.code ?? `HTTP_${status}`,
    message:
      problem.detail ?? problem.title ?? GENERIC_MESSAGES[status] ?? `Request failed (${status}).`,
    reason: problem.reason ?? null,
    fieldErrors: problem.errors ?? [],
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null,
  });
}

/** For failures without an HTTP answer (DNS, refused connection, offline). */
export function toNetworkError(cause: unknown): ApiError {
  return new ApiError({ status: 0, code: 'NETWORK', message: GENERIC_MESSAGES[0] ?? '', cause });
}

/** A user-facing sentence for anything thrown by a data call. */
export function describeError(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * Form fields named by problem paths that are not the field's own name: `'budget.maxTokens'` →
 * `'maxTokens'`. A key also covers the paths under it (`'members'` covers `members.2.agentId`).
 */
export type FieldsByPath<TField extends string> = Partial<Record<string, TField>>;

/**
 * The form field a problem `errors[].path` names: the location prefix (`body.`) is dropped, so
 * `body.newPassword` becomes `newPassword`; then `fieldsByPath` is looked up, the longest key
 * first. Returns null when the path names none of `fields`.
 */
export function toFormField<TField extends string>(
  path: string,
  fields: readonly TField[],
  fieldsByPath: FieldsByPath<TField> = {},
): TField | null {
  const withoutLocation = path.replace(/^(body|querystring|query|params)(\.|$)/, '');
  const own = fields.find((field) => field === withoutLocation);
  if (own !== undefined) return own;
  const key = Object.keys(fieldsByPath)
    .filter((entry) => withoutLocation === entry || withoutLocation.startsWith(`${entry}.`))
    .sort((a, b) => b.length - a.length)[0];
  const field = key === undefined ? undefined : fieldsByPath[key];
  return field !== undefined && fields.includes(field) ? field : null;
}

/**
 * Splits an `ApiError` into per-field messages (for fields the form has) and one message for
 * everything else, so a form can show each where it belongs.
 */
export function splitFieldErrors<TField extends string>(
  error: unknown,
  fields: readonly TField[],
  fieldsByPath: FieldsByPath<TField> = {},
): { fields: Partial<Record<TField, string>>; formMessage: string | null } {
  if (!isApiError(error)) return { fields: {}, formMessage: describeError(error) };
  const byField: Partial<Record<TField, string>> = {};
  const unplaced: string[] = [];
  for (const fieldError of error.fieldErrors) {
    const field = toFormField(fieldError.path, fields, fieldsByPath);
    if (field === null) unplaced.push(`${fieldError.path}: ${fieldError.message}`);
    else byField[field] ??= capitalize(fieldError.message);
  }
  const placedAll = error.fieldErrors.length > 0 && unplaced.length === 0;
  const formMessage = placedAll
    ? null
    : unplaced.length > 0
      ? `${error.message} (${unplaced.join('; ')})`
      : error.message;
  return { fields: byField, formMessage };
}

function capitalize(message: string): string {
  return message.length === 0 ? message : `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}`;
}
