import { SignJWT } from 'jose';
import { AppError } from '@switchyard/shared';
import { getNow, type AuthDeps } from '../config';
import { generateSecretToken } from '../crypto';
import { ensureSigningKey } from './ensure-signing-key';
import { getSigningKey, SIGNING_ALGORITHM } from './signing-key-store';

/** The JWT `typ` header of access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export type IssuedAccessToken = { accessToken: string; expiresAt: Date };

/**
 * Signs a short-lived access token for a session with the newest active key (creating one if
 * there is none). Claims: `sub`, `sid`, `iss`, `aud`, `iat`, `nbf`, `exp`, `jti`.
 */
export async function issueAccessToken(
  options: { userId: string; sessionId: string },
  deps: Pick<AuthDeps, 'db' | 'config' | 'log' | 'now'>,
): Promise<IssuedAccessToken> {
  let key = await getSigningKey(deps);
  if (!key) {
    await ensureSigningKey(deps);
    key = await getSigningKey(deps);
  }
  if (!key) throw new AppError('INTERNAL', { message: 'No signing key is available.' });

  const issuedAt = Math.floor(getNow(deps).getTime() / 1000);
  const expiresAt = issuedAt + deps.config.accessTokenTtlSeconds;
  const accessToken = await new SignJWT({ sid: options.sessionId })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setSubject(options.userId)
    .setIssuer(deps.config.issuer)
    .setAudience(deps.config.audience)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(generateSecretToken(16))
    .sign(key.privateKey);
  return { accessToken, expiresAt: new Date(expiresAt * 1000) };
}
