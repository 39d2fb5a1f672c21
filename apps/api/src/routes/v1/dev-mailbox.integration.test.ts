import { afterEach, describe, expect, it } from 'vitest';
import {
  createIdentityTestApp,
  PASSWORD,
  type IdentityTestApp,
} from './me/testing/identity-test-app';

const opened: IdentityTestApp[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

async function open(env: Record<string, string>): Promise<IdentityTestApp> {
  const t = await createIdentityTestApp(env);
  opened.push(t);
  return t;
}

describe('GET /v1/dev/mailbox', () => {
  it('lists the outbox when the dev mailbox is enabled', async () => {
    const t = await open({ DEV_MAILBOX: 'true' });
    await t.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email: 'mailbox@example.com', password: PASSWORD },
    });

    const response = await t.app.inject({
      method: 'GET',
      url: '/v1/dev/mailbox?to=mailbox@example.com',
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      messages: [{ to: 'mailbox@example.com', subject: 'Confirm your e-mail address' }],
    });
  });

  it('does not exist when the dev mailbox is disabled', async () => {
    const t = await open({ DEV_MAILBOX: 'false' });

    const response = await t.app.inject({ method: 'GET', url: '/v1/dev/mailbox' });

    expect(response.statusCode).toBe(404);
    expect(t.app.hasRoute({ method: 'GET', url: '/v1/dev/mailbox' })).toBe(false);
  });

  it('is off by default for a public URL that is not on this machine', async () => {
    const t = await open({ DEV_MAILBOX: '', PUBLIC_URL: 'https://switchyard.example.com' });

    expect(t.app.hasRoute({ method: 'GET', url: '/v1/dev/mailbox' })).toBe(false);
  });
});
