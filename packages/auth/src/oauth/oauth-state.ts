import { z } from 'zod';
import { AppError } from '@switchyard/shared';
import { decryptSecret, encryptSecret } from '../crypto';

/** The browser-bound cookie that carries one login attempt from `/start` to `/callback`. */
export const OAUTH_STATE_COOKIE = '__Host-sy_oauth';
/** A login attempt left at the provider for longer than this has to start again. */
export const OAUTH_STATE_TTL_SECONDS = 600;

const PURPOSE = 'oauth_state';

const oauthStateSchema = z.object({
  purpose: z.literal(PURPOSE),
  providerId: z.string().min(1),
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43).max(128),
  redirectTo: z.string().startsWith('/'),
  /** Unix seconds. */
  expiresAt: z.number().int(),
});

/** What `/start` remembers about a login attempt, sealed in the browser's cookie. */
export type OAuthState = Omit<z.infer<typeof oauthStateSchema>, 'purpose'>;

/** Encrypted and authenticated (AES-256-GCM with AUTH_SECRET): the browser can neither read nor forge it. */
export function sealOAuthState(state: OAuthState, authSecret: string): string {
  return encryptSecret(JSON.stringify({ purpose: PURPOSE, ...state }), authSecret);
}

/**
 * The login attempt of this browser. A missing, forged, foreign (another deployment's secret),
 * malformed or expired cookie is refused with BAD_REQUEST and `details.reason`.
 */
export function openOAuthState(
  cookieValue: string | undefined,
  options: { authSecret: string; now: Date },
): OAuthState {
  if (!cookieValue) {
    throw stateError('state_missing', 'This sign-in attempt has no state in this browser.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decryptSecret(cookieValue, options.authSecret));
  } catch (cause) {
    throw stateError('state_invalid', 'This sign-in attempt could not be verified.', cause);
  }
  const result = oauthStateSchema.safeParse(parsed);
  if (!result.success) {
    throw stateError('state_invalid', 'This sign-in attempt could not be verified.');
  }
  const { purpose: _purpose, ...state } = result.data;
  if (state.expiresAt * 1000 <= options.now.getTime()) {
    throw stateError('state_expired', 'This sign-in attempt expired. Please start again.');
  }
  return state;
}

export function stateError(reason: string, message: string, cause?: unknown): AppError {
  return new AppError('BAD_REQUEST', { message, cause, details: { reason } });
}
