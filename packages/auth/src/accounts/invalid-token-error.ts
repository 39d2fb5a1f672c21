import { AppError } from '@switchyard/shared';

/** Unknown, used and expired tokens all get this one answer. */
export function invalidTokenError(): AppError {
  return new AppError('BAD_REQUEST', {
    message: 'This link is invalid or has expired. Ask for a new one.',
    details: { reason: 'invalid_token' },
  });
}
