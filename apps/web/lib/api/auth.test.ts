import { describe, expect, it } from 'vitest';
import { completeTwoFactorLogin, logIn, signUp } from './auth';
import { createApiClient } from './client';

type Recorded = { url: string; body: unknown };

/** A client whose fetch answers every request with `status` and `body`, recording the requests. */
function clientAnswering(status: number, body: unknown) {
  const requests: Recorded[] = [];
  const client = createApiClient({
    readCookies: () => '',
    fetchFn: async (input, init) => {
      requests.push({
        url: String(input),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { client, requests };
}

const USER = {
  id: '0b8a7f4e-3f0c-4d7e-9a57-0d3f1f6e2a11',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  createdAt: '2030-01-01T00:00:00.000Z',
};

describe('logIn', () => {
  it('asks for cookie mode and reports a finished login', async () => {
    const { client, requests } = clientAnswering(200, {
      status: 'authenticated',
      user: USER,
      expiresIn: 600,
    });

    expect(await logIn({ email: 'ada@example.com', password: 'pw' }, client)).toEqual({
      status: 'ok',
    });
    expect(requests[0]).toEqual({
      url: '/api/v1/auth/login',
      body: { email: 'ada@example.com', password: 'pw', mode: 'cookie' },
    });
  });

  it('returns the challenge when the account has a second factor', async () => {
    const { client } = clientAnswering(200, {
      status: 'two_factor_required',
      challengeToken: 'challenge-token',
      expiresAt: '2030-01-01T00:10:00.000Z',
    });

    expect(await logIn({ email: 'ada@example.com', password: 'pw' }, client)).toEqual({
      status: 'two_factor_required',
      challengeToken: 'challenge-token',
    });
  });

  it('fails with the api message on wrong credentials, without trying a refresh', async () => {
    const { client, requests } = clientAnswering(401, {
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: 'The e-mail address or the password is not correct.',
      reason: 'invalid_credentials',
    });

    await expect(logIn({ email: 'a@b.c', password: 'x' }, client)).rejects.toMatchObject({
      reason: 'invalid_credentials',
      message: 'The e-mail address or the password is not correct.',
    });
    expect(requests).toHaveLength(1);
  });
});

describe('completeTwoFactorLogin', () => {
  it('sends the challenge with the code in cookie mode', async () => {
    const { client, requests } = clientAnswering(200, {
      status: 'authenticated',
      user: USER,
      expiresIn: 600,
    });

    await completeTwoFactorLogin({ challengeToken: 't', code: '123456' }, client);

    expect(requests[0]?.body).toEqual({ challengeToken: 't', code: '123456', mode: 'cookie' });
  });
});

describe('signUp', () => {
  it('posts the name, address and password', async () => {
    const { client, requests } = clientAnswering(202, { status: 'accepted', message: 'ok' });

    await signUp({ name: 'Ada', email: 'ada@example.com', password: 'long password' }, client);

    expect(requests[0]).toEqual({
      url: '/api/v1/auth/signup',
      body: { name: 'Ada', email: 'ada@example.com', password: 'long password' },
    });
  });
});
