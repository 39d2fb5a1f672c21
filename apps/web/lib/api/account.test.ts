import { describe, expect, it } from 'vitest';
import { getMe } from './account';
import { createApiClient } from './client';
import { getDevMailbox } from './dev-mailbox';

/** A client whose fetch answers each request with the next `[status, body]`. */
function clientAnswering(...answers: [number, unknown][]) {
  return createApiClient({
    readCookies: () => '',
    fetchFn: async () => {
      const [status, body] = answers.shift() ?? [500, null];
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}

const PROFILE = {
  user: {
    id: '0b8a7f4e-3f0c-4d7e-9a57-0d3f1f6e2a11',
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    createdAt: '2030-01-01T00:00:00.000Z',
  },
  memberships: [
    {
      orgId: 'c7f0c2a4-8d3b-4c59-9a0e-5f8a2b1c3d4e',
      role: 'owner',
      organization: {
        id: 'c7f0c2a4-8d3b-4c59-9a0e-5f8a2b1c3d4e',
        name: 'Ada',
        slug: 'ada',
        personal: true,
      },
    },
  ],
  hasPassword: true,
  twoFactorEnabled: true,
  recoveryCodesRemaining: 9,
};

describe('getMe', () => {
  it('folds the second-factor state into the user', async () => {
    const me = await getMe(clientAnswering([200, PROFILE]));

    expect(me?.user).toMatchObject({
      email: 'ada@example.com',
      twoFactorEnabled: true,
      hasPassword: true,
      recoveryCodesRemaining: 9,
    });
    expect(me?.memberships[0]?.organization.personal).toBe(true);
  });

  it('reads platformAdmin, and treats an api without the field as "not an admin"', async () => {
    const admin = await getMe(clientAnswering([200, { ...PROFILE, platformAdmin: true }]));
    const older = await getMe(clientAnswering([200, PROFILE]));

    expect(admin?.user.platformAdmin).toBe(true);
    expect(older?.user.platformAdmin).toBe(false);
  });

  it('returns null when nobody is signed in and the refresh is refused', async () => {
    const unauthenticated = { status: 401, code: 'UNAUTHENTICATED' };
    const me = await getMe(clientAnswering([401, unauthenticated], [401, unauthenticated]));

    expect(me).toBeNull();
  });

  it('throws other failures so the page can say what went wrong', async () => {
    await expect(getMe(clientAnswering([503, { status: 503, detail: 'down' }]))).rejects.toThrow(
      'down',
    );
  });
});

describe('getDevMailbox', () => {
  it('reports the mailbox as off when the api does not serve it', async () => {
    expect(await getDevMailbox(clientAnswering([404, { status: 404 }]))).toEqual({
      enabled: false,
    });
  });

  it('lists the messages when it is on', async () => {
    const message = {
      id: 'm1',
      to: 'ada@example.com',
      subject: 'Confirm',
      text: 'http://localhost:3000/verify-email?token=abc',
      html: null,
      createdAt: '2030-01-01T00:00:00.000Z',
      sentAt: null,
    };
    const mailbox = await getDevMailbox(clientAnswering([200, { messages: [message] }]));

    expect(mailbox).toMatchObject({ enabled: true, messages: [{ subject: 'Confirm' }] });
  });
});
