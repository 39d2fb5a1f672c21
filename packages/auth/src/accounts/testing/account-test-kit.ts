import { generate } from 'otplib';
import { listMailMessages, type MailMessage, type User } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import type { Redis } from '@switchyard/shared';
import type { AuthConfig, AuthDeps } from '../../config';
import {
  closeTestRedis,
  createTestAuthConfig,
  createTestClock,
  createTestLogger,
  createTestRedis,
  type TestClock,
} from '../../testing';
import { enableTwoFactor } from '../../two-factor/enable-two-factor';
import { setUpTwoFactor } from '../../two-factor/set-up-two-factor';
import { signUp } from '../sign-up';
import { verifyEmail } from '../verify-email';

/** A database, a prefixed Redis and a controllable clock wired into `AuthDeps`. */
export type AccountTestKit = {
  database: TestDatabase;
  redis: Redis;
  clock: TestClock;
  deps: AuthDeps;
  close: () => Promise<void>;
};

export async function createAccountTestKit(
  overrides: Partial<AuthConfig> = {},
): Promise<AccountTestKit> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const clock = createTestClock();
  const deps: AuthDeps = {
    db: database.db,
    redis,
    log: createTestLogger(),
    config: createTestAuthConfig(overrides),
    now: clock.now,
  };
  return {
    database,
    redis,
    clock,
    deps,
    close: async () => {
      await closeTestRedis(redis);
      await database.drop();
    },
  };
}

/** The newest message sent to `email`; fails the test when there is none. */
export async function readLatestMail(kit: AccountTestKit, email: string): Promise<MailMessage> {
  const [message] = await listMailMessages(kit.database.db, { limit: 1, to: email });
  if (!message) throw new Error(`no e-mail was sent to ${email}`);
  return message;
}

export async function countMail(kit: AccountTestKit, email: string): Promise<number> {
  return (await listMailMessages(kit.database.db, { limit: 200, to: email })).length;
}

/** The first link in a text body, as a URL. */
export function findLink(message: Pick<MailMessage, 'text'>): URL {
  const match = /https?:\/\/\S+/.exec(message.text);
  if (!match) throw new Error(`no link in: ${message.text}`);
  return new URL(match[0]);
}

/** The `token` query parameter of the first link in the newest mail to `email`. */
export async function readMailedToken(kit: AccountTestKit, email: string): Promise<string> {
  const token = findLink(await readLatestMail(kit, email)).searchParams.get('token');
  if (!token) throw new Error(`the newest mail to ${email} has no token link`);
  return token;
}

/** Signs up and follows the verification link: an account that can log in. */
export async function createVerifiedUser(
  kit: AccountTestKit,
  params: { email: string; password: string; name?: string },
): Promise<User> {
  await signUp(
    { input: { email: params.email, password: params.password, name: params.name ?? 'Test' } },
    kit.deps,
  );
  const token = await readMailedToken(kit, params.email);
  const { user } = await verifyEmail({ token }, kit.deps);
  const row = await kit.database.db.query.users.findFirst({
    where: (users, { eq }) => eq(users.id, user.id),
  });
  if (!row) throw new Error('the verified user is missing');
  return row;
}

/** The current TOTP code for a Base32 secret at the kit's clock (or `at`). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** Enrols TOTP for the user; resolves the secret and the recovery codes. */
export async function enableTotpFor(
  kit: AccountTestKit,
  userId: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = await setUpTwoFactor({ userId }, kit.deps);
  const code = await totpCode(secret, kit.clock.now());
  const { recoveryCodes } = await enableTwoFactor({ userId, code }, kit.deps);
  // The confirming code's step is now spent; later codes come from the next step.
  kit.clock.advance(30);
  return { secret, recoveryCodes };
}
