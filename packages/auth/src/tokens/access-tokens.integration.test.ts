import { exportSPKI, generateKeyPair, importJWK, SignJWT, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { AppError } from '@switchyard/shared';
import type { AuthConfig } from '../config';
import { createTestAuthConfig, createTestClock, createTestLogger } from '../testing';
import { ensureSigningKey } from './ensure-signing-key';
import { getJwks } from './get-jwks';
import { issueAccessToken } from './issue-access-token';
import { rotateSigningKey } from './rotate-signing-key';
import { verifyAccessToken } from './verify-access-token';

const USER_ID = '00000000-0000-4000-8000-000000000001';
const SESSION_ID = '00000000-0000-4000-8000-000000000002';

let testDb: TestDatabase;
const log = createTestLogger();

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb.drop();
});

/** Fresh deps: a new config object means a fresh verification cache (no shortcut via cache). */
function makeDeps(overrides: Partial<AuthConfig> = {}, now?: () => Date) {
  return { db: testDb.db, log, config: createTestAuthConfig(overrides), now };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function expectRefused(token: string, deps = makeDeps()) {
  const error = await verifyAccessToken(token, deps).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('UNAUTHENTICATED');
}

describe('access tokens', () => {
  it('issues an ES256 at+jwt with the session claims and verifies it', async () => {
    const deps = makeDeps();
    const { accessToken, expiresAt } = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      deps,
    );
    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    const claims = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: USER_ID,
      sid: SESSION_ID,
      iss: deps.config.issuer,
      aud: deps.config.audience,
    });
    expect(claims.exp).toBe(Number(claims.iat) + deps.config.accessTokenTtlSeconds);
    expect(claims.nbf).toBe(claims.iat);
    expect(typeof claims.jti).toBe('string');

    await expect(verifyAccessToken(accessToken, makeDeps())).resolves.toEqual({
      userId: USER_ID,
      sessionId: SESSION_ID,
      expiresAt,
    });
  });

  it('refuses alg none', async () => {
    const { accessToken } = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      makeDeps(),
    );
    const [header, payload] = accessToken.split('.');
    const { kid } = decodeProtectedHeader(accessToken);
    await expectRefused(`${base64url({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`);
    // The original header with the signature stripped is refused too.
    await expectRefused(`${header}.${payload}.`);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const deps = makeDeps();
    const { accessToken } = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      deps,
    );
    const { kid } = decodeProtectedHeader(accessToken);
    const jwk = (await getJwks(deps)).keys.find((key) => key.kid === kid);
    if (!jwk) throw new Error('kid missing from the JWKS');
    const publicKey = await importJWK(jwk, 'ES256', { extractable: true });
    if (publicKey instanceof Uint8Array) throw new Error('expected an asymmetric key');
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [await exportSPKI(publicKey), JSON.stringify(jwk)]) {
      const forged = await new SignJWT({ sid: SESSION_ID })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
        .setSubject(USER_ID)
        .setIssuer(deps.config.issuer)
        .setAudience(deps.config.audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + 600)
        .setJti('forged')
        .sign(new TextEncoder().encode(secret));
      await expectRefused(forged);
    }
  });

  it('refuses a token signed by another key, under a known or an unknown kid', async () => {
    const deps = makeDeps();
    const { kid } = await ensureSigningKey(deps);
    const { privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    for (const headerKid of [kid, 'unknown-kid']) {
      const forged = await new SignJWT({ sid: SESSION_ID })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: headerKid })
        .setSubject(USER_ID)
        .setIssuer(deps.config.issuer)
        .setAudience(deps.config.audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + 600)
        .setJti('forged')
        .sign(privateKey);
      await expectRefused(forged);
    }
  });

  it('refuses an expired token, also when its verification was cached', async () => {
    const clock = createTestClock();
    const deps = makeDeps({}, clock.now);
    const { accessToken } = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      deps,
    );
    await verifyAccessToken(accessToken, deps);
    clock.advance(deps.config.accessTokenTtlSeconds + 1);
    await expectRefused(accessToken, deps);
    // Without the cache: the signature check itself refuses it.
    await expectRefused(accessToken, makeDeps({}, clock.now));
  });

  it('refuses a token that is not yet valid', async () => {
    const future = createTestClock(new Date(Date.now() + 3600_000));
    const { accessToken } = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      makeDeps({}, future.now),
    );
    await expectRefused(accessToken);
  });

  it('refuses a wrong audience or a wrong issuer', async () => {
    const wrongAudience = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      makeDeps({ audience: 'another-api' }),
    );
    await expectRefused(wrongAudience.accessToken);
    const wrongIssuer = await issueAccessToken(
      { userId: USER_ID, sessionId: SESSION_ID },
      makeDeps({ issuer: 'https://evil.example' }),
    );
    await expectRefused(wrongIssuer.accessToken);
  });

  it('refuses a token of another type and garbage', async () => {
    const deps = makeDeps();
    const { kid } = await ensureSigningKey(deps);
    await expectRefused('not-a-jwt');
    await expectRefused('');
    await expectRefused(`${base64url({ alg: 'ES256', kid })}.${base64url({})}.${'A'.repeat(5000)}`);
    // A correctly signed token with typ JWT (for example an ID token) is not an access token.
    const idToken = await issueAccessToken({ userId: USER_ID, sessionId: SESSION_ID }, deps);
    const [, payload, signature] = idToken.accessToken.split('.');
    await expectRefused(`${base64url({ alg: 'ES256', typ: 'JWT', kid })}.${payload}.${signature}`);
  });
});

describe('signing key rotation', () => {
  let otherInstance: DatabaseHandle;

  beforeAll(() => {
    otherInstance = createDatabase({ url: testDb.url, max: 2 });
  });

  afterAll(async () => {
    await otherInstance.close();
  });

  it('creates one signing key on first use and reuses it', async () => {
    const deps = makeDeps();
    const first = await ensureSigningKey(deps);
    const second = await ensureSigningKey(deps);
    expect(second).toEqual({ kid: first.kid, created: false });
  });

  it('keeps tokens of the old key valid and lists both keys in the JWKS until the old one expires', async () => {
    const clock = createTestClock();
    const deps = makeDeps({}, clock.now);
    const before = await issueAccessToken({ userId: USER_ID, sessionId: SESSION_ID }, deps);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;

    const { kid: newKid, retiredCount } = await rotateSigningKey(deps);
    expect(retiredCount).toBeGreaterThanOrEqual(1);
    const after = await issueAccessToken({ userId: USER_ID, sessionId: SESSION_ID }, deps);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);

    await expect(
      verifyAccessToken(before.accessToken, makeDeps({}, clock.now)),
    ).resolves.toMatchObject({ sessionId: SESSION_ID });
    const kids = (await getJwks(deps)).keys.map((key) => key.kid);
    expect(kids).toEqual([newKid, oldKid]);
    for (const key of (await getJwks(deps)).keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }

    clock.advance(2 * deps.config.accessTokenTtlSeconds + 1);
    expect((await getJwks(deps)).keys.map((key) => key.kid)).toEqual([newKid]);
  });

  it('accepts a token signed with a key another instance just created', async () => {
    const deps = makeDeps();
    await ensureSigningKey(deps);
    const other = { ...makeDeps(), db: otherInstance.db };
    await rotateSigningKey(other);
    const token = await issueAccessToken({ userId: USER_ID, sessionId: SESSION_ID }, other);
    await expect(verifyAccessToken(token.accessToken, deps)).resolves.toMatchObject({
      userId: USER_ID,
    });
  });
});
