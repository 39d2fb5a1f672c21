import { AppError } from '@switchyard/shared';

/**
 * A public step (finishing a login, resetting a password) needs the second factor and none was
 * given: 401 with `details.reason = 'two_factor_required'`, so a client can ask for the code.
 */
export function secondFactorRequiredError(): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: 'Enter a code from your authenticator app or one of your recovery codes.',
    details: { reason: 'two_factor_required' },
  });
}

/** A public step got a wrong, reused or expired code. */
export function secondFactorInvalidError(): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: 'That code is not valid. Codes work once; wait for the next one and try again.',
    details: { reason: 'invalid_two_factor_code' },
  });
}

/**
 * A signed-in user confirming an action gave a wrong credential: a 400 naming the field, not a
 * 401, because their session is fine.
 */
export function confirmationFailedError(
  path: 'password' | 'currentPassword' | 'code',
  reason: 'invalid_password' | 'two_factor_required' | 'invalid_two_factor_code',
): AppError {
  const message =
    path === 'code'
      ? reason === 'two_factor_required'
        ? 'Enter a code from your authenticator app or one of your recovery codes.'
        : 'That code is not valid. Codes work once; wait for the next one and try again.'
      : 'The password is not correct.';
  return new AppError('VALIDATION_FAILED', {
    message,
    details: { reason, errors: [{ path, message }] },
  });
}
