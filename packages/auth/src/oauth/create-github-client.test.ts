import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@switchyard/shared';
import { buildOAuthProviderConfigs } from './config';
import { createGithubClient } from './create-github-client';
import type { OAuthClient } from './oauth-client';
import { startFakeGithub, type FakeGithub, type FakeGithubUser } from './testing';

const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/oauth/github/callback';
const VERIFIER = 'github-code-verifier-0123456789-0123456789-0123456789';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const OCTOCAT: FakeGithubUser = {
  id: 583231,
  login: 'octocat',
  name: null,
  emails: [
    { email: 'octo@old.example', primary: false, verified: true },
    { email: 'Octocat@GitHub.example', primary: true, verified: true },
  ],
};

let github: FakeGithub;
let client: OAuthClient;

beforeAll(async () => {
  github = await startFakeGithub();
  const [provider] = buildOAuthProviderConfigs({
    github: {
      clientId: github.clientId,
      clientSecret: github.clientSecret,
      oauthBaseUrl: github.oauthBaseUrl,
      apiBaseUrl: github.apiBaseUrl,
    },
  });
  if (!provider) throw new Error('no provider');
  client = createGithubClient(provider);
});
afterAll(async () => {
  await github.close();
});

async function signIn(
  user: FakeGithubUser,
  options: { state?: string; verifier?: string; tamper?: (url: URL) => void } = {},
) {
  const url = await client.createAuthorizationUrl({
    redirectUri: REDIRECT_URI,
    state: 'expected-state',
    nonce: 'unused-by-github',
    codeChallenge: CHALLENGE,
  });
  const callbackUrl = await github.authorize(url.toString(), user);
  options.tamper?.(callbackUrl);
  return client.exchangeCode({
    callbackUrl,
    expectedState: options.state ?? 'expected-state',
    expectedNonce: 'unused-by-github',
    codeVerifier: options.verifier ?? VERIFIER,
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

describe('createGithubClient against a fake GitHub', () => {
  it('sends PKCE S256, state, the client id, the redirect URI and the e-mail scope', async () => {
    await signIn(OCTOCAT);
    const params = github.authorizationRequests.at(-1);

    expect(Object.fromEntries(params ?? [])).toEqual({
      client_id: github.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'read:user user:email',
      state: 'expected-state',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
    });
  });

  it('returns the numeric id as subject and the verified primary address', async () => {
    expect(await signIn(OCTOCAT)).toEqual({
      subject: '583231',
      email: 'Octocat@GitHub.example',
      emailVerified: true,
      name: 'octocat',
    });
  });

  it('reports an unverified primary address as unverified, even with another verified one', async () => {
    const identity = await signIn({
      ...OCTOCAT,
      name: 'Mona',
      emails: [
        { email: 'verified@other.example', primary: false, verified: true },
        { email: 'claimed@victim.example', primary: true, verified: false },
      ],
    });

    expect(identity).toMatchObject({
      email: 'claimed@victim.example',
      emailVerified: false,
      name: 'Mona',
    });
  });

  it('refuses a callback whose state is not the one of this browser', async () => {
    expect(await reasonOf(signIn(OCTOCAT, { state: 'another-state' }))).toBe('state_mismatch');
  });

  it('refuses a code redeemed with another PKCE verifier', async () => {
    expect(await reasonOf(signIn(OCTOCAT, { verifier: 'x'.repeat(43) }))).toBe('provider_error');
  });

  it('reports a sign-in the user cancelled at GitHub', async () => {
    const tamper = (url: URL) => {
      url.searchParams.delete('code');
      url.searchParams.set('error', 'access_denied');
    };

    expect(await reasonOf(signIn(OCTOCAT, { tamper }))).toBe('access_denied');
  });
});
