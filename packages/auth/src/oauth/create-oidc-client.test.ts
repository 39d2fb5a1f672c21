import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@switchyard/shared';
import type { OAuthProviderConfig } from '../config';
import { createOidcClient } from './create-oidc-client';
import type { OAuthClient } from './oauth-client';
import { startTestOidcProvider, type TestOidcProvider } from './testing';

const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/oauth/oidc/callback';
const VERIFIER = 'test-code-verifier-0123456789-0123456789-0123456789';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

let idp: TestOidcProvider;
let client: OAuthClient;

beforeAll(async () => {
  idp = await startTestOidcProvider({ redirectUris: [REDIRECT_URI] });
  const provider: OAuthProviderConfig = {
    id: 'oidc',
    kind: 'oidc',
    displayName: 'Test SSO',
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    issuer: idp.issuer,
    scopes: ['openid', 'email', 'profile'],
  };
  client = createOidcClient(provider);
});
afterEach(() => idp.setTokenResponseTransform(undefined));
afterAll(async () => {
  await idp.close();
});

async function signIn(options: { state?: string; nonce?: string; tamper?: (url: URL) => void }) {
  const url = await client.createAuthorizationUrl({
    redirectUri: REDIRECT_URI,
    state: 'expected-state',
    nonce: 'expected-nonce',
    codeChallenge: CHALLENGE,
  });
  options.tamper?.(url);
  const callbackUrl = await idp.authorize(url.toString(), {
    sub: 'idp-user-1',
    email: 'Ada@Example.com',
    emailVerified: true,
    name: 'Ada Lovelace',
  });
  return client.exchangeCode({
    callbackUrl,
    expectedState: options.state ?? 'expected-state',
    expectedNonce: options.nonce ?? 'expected-nonce',
    codeVerifier: VERIFIER,
  });
}

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.details?.reason : error;
  }
  return 'no error';
}

describe('createOidcClient against a real OpenID provider', () => {
  it('sends PKCE S256, state, nonce, the client id and the redirect URI', async () => {
    const url = await client.createAuthorizationUrl({
      redirectUri: REDIRECT_URI,
      state: 's',
      nonce: 'n',
      codeChallenge: CHALLENGE,
    });

    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: idp.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile',
      state: 's',
      nonce: 'n',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
    });
  });

  it('returns the verified identity after the code exchange', async () => {
    expect(await signIn({})).toEqual({
      subject: 'idp-user-1',
      email: 'Ada@Example.com',
      emailVerified: true,
      name: 'Ada Lovelace',
    });
  });

  it('refuses an ID token whose nonce is not the one of this browser', async () => {
    const tamper = (url: URL) => url.searchParams.set('nonce', 'attacker-nonce');

    expect(await reasonOf(signIn({ tamper }))).toBe('response_invalid');
  });

  it('refuses a response whose state is not the expected one', async () => {
    expect(await reasonOf(signIn({ state: 'another-state' }))).toBe('response_invalid');
  });

  it('refuses a code redeemed with another PKCE verifier', async () => {
    const tamper = (url: URL) =>
      url.searchParams.set(
        'code_challenge',
        createHash('sha256').update('x'.repeat(43)).digest('base64url'),
      );

    expect(await reasonOf(signIn({ tamper }))).toBe('provider_error');
  });

  it.each([
    ['another audience', { aud: 'another-client' }, {}],
    ['another issuer', { iss: 'https://evil.example' }, {}],
    ['a key the provider never published', {}, { foreignKey: true }],
  ])('refuses a validly formed ID token for %s', async (_name, claims, signOptions) => {
    idp.setTokenResponseTransform(async (body) => {
      const original = decodeJwt(String(body.id_token));
      return { ...body, id_token: await idp.signIdToken({ ...original, ...claims }, signOptions) };
    });

    expect(await reasonOf(signIn({}))).toBe('response_invalid');
  });

  it('accepts an ID token re-signed with the provider key and unchanged claims', async () => {
    idp.setTokenResponseTransform(async (body) => ({
      ...body,
      id_token: await idp.signIdToken(decodeJwt(String(body.id_token))),
    }));

    expect((await signIn({})).subject).toBe('idp-user-1');
  });
});
