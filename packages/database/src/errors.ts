/**
 * The SQLSTATE of a PostgreSQL error, also when Drizzle wrapped it (`DrizzleQueryError.cause`).
 * See https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export function getPgErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 5; depth += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (
      'code' in current &&
      typeof current.code === 'string' &&
      /^[0-9A-Z]{5}$/.test(current.code)
    ) {
      return current.code;
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/**
 * True when `error` is a unique-constraint violation, optionally of one named constraint or
 * unique index (for example `users_email_lower_unique`), so a service can answer 409.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (getPgErrorCode(error) !== '23505') return false;
  if (constraint === undefined) return true;
  return findConstraint(error) === constraint;
}

function findConstraint(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 5; depth += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    if ('constraint' in current && typeof current.constraint === 'string')
      return current.constraint;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}
