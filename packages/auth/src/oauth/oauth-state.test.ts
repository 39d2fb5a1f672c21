import { describe, expect, it } from 'vitest';
import { isAppError } from '@switchyard/shared';
import { encryptSecret } from '../crypto';
import { openOAuthState, sealOAuthState, type OAuthState } from './oauth-state';

const SECRET = 'oauth-state-test-secret-0123456789abcdef';
const NOW = new Date('2030-01-01T00:00:00Z');
const STATE: OAuthState = {
  providerId: 'google',
  state: 'state-value',
  nonce: 'nonce-value',
  codeVerifier: 'v'.repeat(43),
  redirectTo: '/account',
  expiresAt: NOW.getTime() / 1000 + 600,
};

function reasonOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.details?.reason : error;
  }
  return undefined;
}

describe('oauth state cookie', () => {
  it('opens what it sealed, and the sealed value reveals nothing', () => {
    const sealed = sealOAuthState(STATE, SECRET);

    expect(sealed).not.toContain('state-value');
    expect(sealed).not.toContain('/account');
    expect(openOAuthState(sealed, { authSecret: SECRET, now: NOW })).toEqual(STATE);
  });

  it('refuses a missing cookie', () => {
    expect(reasonOf(() => openOAuthState(undefined, { authSecret: SECRET, now: NOW }))).toBe(
      'state_missing',
    );
  });

  it('refuses a cookie sealed by another deployment or tampered with', () => {
    const foreign = sealOAuthState(STATE, 'another-deployment-secret-0123456789abcd');
    const sealed = sealOAuthState(STATE, SECRET);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;

    expect(reasonOf(() => openOAuthState(foreign, { authSecret: SECRET, now: NOW }))).toBe(
      'state_invalid',
    );
    expect(reasonOf(() => openOAuthState(tampered, { authSecret: SECRET, now: NOW }))).toBe(
      'state_invalid',
    );
  });

  it('refuses another secret of ours that is not an oauth state', () => {
    const other = encryptSecret(JSON.stringify({ ...STATE, purpose: 'totp' }), SECRET);

    expect(reasonOf(() => openOAuthState(other, { authSecret: SECRET, now: NOW }))).toBe(
      'state_invalid',
    );
  });

  it('refuses an attempt older than ten minutes', () => {
    const sealed = sealOAuthState(STATE, SECRET);
    const later = new Date(NOW.getTime() + 600_000);

    expect(reasonOf(() => openOAuthState(sealed, { authSecret: SECRET, now: later }))).toBe(
      'state_expired',
    );
  });
});
