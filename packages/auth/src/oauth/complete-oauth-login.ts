import { AppError, isAppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import { issueAuthToken } from '../accounts/issue-auth-token';
import { toPublicUser, type PublicUser } from '../accounts/public-user';
import { recordAccountEvent } from '../accounts/record-account-event';
import { getNow, type AuthDeps } from '../config';
import { safeEqual } from '../crypto';
import { createSession, type SessionTokens } from '../sessions';
import { isTwoFactorEnabled } from '../two-factor/verify-second-factor';
import { getOAuthCallbackUrl, getOAuthProviderOrThrow } from './config';
import { getOAuthClient } from './get-oauth-client';
import { openOAuthState, stateError } from './oauth-state';
import { resolveOAuthUser } from './resolve-oauth-user';

export type CompleteOAuthLoginOptions = {
  providerId: string;
  /** The callback's query parameters as the provider sent them (`code`, `state`, `iss`, `error`…). */
  query: Record<string, string | undefined>;
  /** The `__Host-sy_oauth` cookie of this browser. */
  stateCookie: string | undefined;
  context?: AuditContext;
};

export type CompleteOAuthLoginResult =
  | {
      status: 'authenticated';
      user: PublicUser;
      session: SessionTokens;
      /** The path asked for at `/start`, already checked to be on this site. */
      redirectTo: string;
    }
  | {
      /** TOTP is on: the login finishes with `completeTwoFactorLogin` and this challenge. */
      status: 'two_factor_required';
      challengeToken: string;
      expiresAt: Date;
      redirectTo: string;
    };

/**
 * The provider's redirect back (SECURITY.md 7, 15): the state must match this browser's sealed
 * attempt, then the code is redeemed with the PKCE verifier and the identity verified (ID token
 * signature, issuer, audience, nonce), then mapped to an account by `resolveOAuthUser`, and a
 * new session starts (or a second-factor challenge when TOTP is on). Every refusal is an
 * AppError with `details.reason` and is audited as `auth.login.failed`.
 */
export async function completeOAuthLogin(
  options: CompleteOAuthLoginOptions,
  deps: AuthDeps,
): Promise<CompleteOAuthLoginResult> {
  const provider = getOAuthProviderOrThrow(deps.config, options.providerId);
  const method = `oauth:${provider.id}`;
  const { context } = options;
  let targetUserId: string | null = null;
  try {
    const attempt = openOAuthState(options.stateCookie, {
      authSecret: deps.config.authSecret,
      now: getNow(deps),
    });
    if (attempt.providerId !== provider.id) {
      throw stateError('state_invalid', 'This sign-in attempt was started with another provider.');
    }
    // Checked here, before any call to the provider, and again by the protocol client.
    if (!safeEqual(options.query.state ?? '', attempt.state)) {
      throw stateError('state_mismatch', 'This sign-in attempt could not be verified.');
    }

    const callbackUrl = new URL(getOAuthCallbackUrl(deps.config, provider.id));
    for (const [name, value] of Object.entries(options.query)) {
      if (value !== undefined) callbackUrl.searchParams.set(name, value);
    }
    const identity = await getOAuthClient(provider).exchangeCode({
      callbackUrl,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      codeVerifier: attempt.codeVerifier,
    });

    const resolved = await resolveOAuthUser({ providerId: provider.id, identity }, deps);
    if (resolved.outcome === 'refused') {
      targetUserId = resolved.existingUserId;
      throw new AppError('CONFLICT', {
        message: `An account with this e-mail address already exists. Sign in with your password; signing in with ${provider.displayName} is only possible once both sides have verified the address.`,
        details: { reason: 'account_exists' },
      });
    }
    const { user, outcome } = resolved;

    if (await isTwoFactorEnabled(deps.db, { userId: user.id })) {
      const challenge = await issueAuthToken(
        { userId: user.id, purpose: 'two_factor_challenge', data: { method } },
        deps,
      );
      return {
        status: 'two_factor_required',
        challengeToken: challenge.token,
        expiresAt: challenge.expiresAt,
        redirectTo: attempt.redirectTo,
      };
    }
    const session = await createSession(
      {
        userId: user.id,
        method,
        twoFactorVerified: false,
        ip: context?.ip ?? null,
        userAgent: context?.userAgent ?? null,
      },
      deps,
    );
    await recordAccountEvent(deps.db, {
      userId: user.id,
      action: 'auth.login.succeeded',
      metadata: { method: 'oauth', provider: provider.id, outcome, twoFactor: false },
      ...(context === undefined ? {} : { context }),
    });
    return {
      status: 'authenticated',
      user: toPublicUser(user),
      session,
      redirectTo: attempt.redirectTo,
    };
  } catch (error) {
    if (isAppError(error) && error.status < 500) {
      await recordAccountEvent(deps.db, {
        userId: targetUserId,
        byUser: false,
        action: 'auth.login.failed',
        metadata: {
          method: 'oauth',
          provider: provider.id,
          reason: error.details?.reason ?? error.code,
        },
        ...(context === undefined ? {} : { context }),
      });
    }
    throw error;
  }
}
