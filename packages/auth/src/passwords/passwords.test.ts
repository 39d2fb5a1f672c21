import { describe, expect, it } from 'vitest';
import { AppError } from '@switchyard/shared';
import {
  assertPasswordPolicy,
  findPasswordProblem,
  MAX_PASSWORD_LENGTH,
} from './check-password-policy';
import { hashPassword, verifyPassword } from './hash-password';

describe('password policy', () => {
  it('refuses passwords shorter than 8 characters', () => {
    expect(findPasswordProblem('Xq7!vB2')).toMatch(/at least 8/);
    expect(findPasswordProblem('Xq7!vB2z')).toBeNull();
  });

  it('refuses the most common passwords in any case', () => {
    expect(findPasswordProblem('password')).toMatch(/most common/);
    expect(findPasswordProblem('PassWord')).toMatch(/most common/);
    expect(findPasswordProblem('iloveyou')).toMatch(/most common/);
    expect(findPasswordProblem('qwertyuiop')).toMatch(/most common/);
  });

  it('refuses the e-mail address or its local part as password', () => {
    expect(
      findPasswordProblem('Ada.Lovelace@example.com', { email: 'ada.lovelace@example.com' }),
    ).toMatch(/e-mail/);
    expect(findPasswordProblem('ada.lovelace', { email: 'Ada.Lovelace@example.com' })).toMatch(
      /e-mail/,
    );
  });

  it('accepts 1024 characters and refuses more', () => {
    expect(findPasswordProblem('a1b2'.repeat(256))).toBeNull();
    expect(findPasswordProblem('a'.repeat(MAX_PASSWORD_LENGTH + 1))).toMatch(/at most/);
  });

  it('throws a validation error naming the field', () => {
    let caught: unknown;
    try {
      assertPasswordPolicy('short', { field: 'newPassword' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [{ path: 'newPassword', message: expect.any(String) }] },
    });
  });
});

describe('password hashing', () => {
  it('stores argon2id hashes that verify the password', async () => {
    const hash = await hashPassword('correct horse battery staple');

    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toEqual({
      valid: true,
      needsRehash: false,
    });
    expect((await verifyPassword(hash, 'correct horse battery stapler')).valid).toBe(false);
  });

  it('does not truncate long passwords: a difference at character 80 fails', async () => {
    const password = `${'long passphrase '.repeat(5)}tail-of-the-password`;
    const changedAt80 = `${password.slice(0, 79)}X${password.slice(80)}`;
    expect(password.length).toBeGreaterThan(80);
    expect(changedAt80).not.toBe(password);

    const hash = await hashPassword(password);

    expect((await verifyPassword(hash, password)).valid).toBe(true);
    expect((await verifyPassword(hash, changedAt80)).valid).toBe(false);
  });

  it('asks for a rehash of a hash made with weaker parameters', async () => {
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash('some long password', {
      memoryCost: 8_192,
      timeCost: 1,
      parallelism: 1,
    });

    expect(await verifyPassword(weak, 'some long password')).toEqual({
      valid: true,
      needsRehash: true,
    });
  });

  it('answers invalid without a hash or with a malformed one', async () => {
    expect(await verifyPassword(null, 'anything-at-all')).toEqual({
      valid: false,
      needsRehash: false,
    });
    expect((await verifyPassword('not-a-hash', 'anything-at-all')).valid).toBe(false);
  });
});
