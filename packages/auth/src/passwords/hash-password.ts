import { hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * argon2id (the library's default algorithm) with OWASP's first recommended configuration
 * (19 MiB, 2 passes, 1 lane): the Password Storage Cheat Sheet, also the floor of ASVS 11.4.2.
 * Raising these later upgrades stored hashes at the next login (`needsRehash`).
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
// `Algorithm.Argon2id`; the library's const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export type PasswordCheck = {
  valid: boolean;
  /** The hash was made with weaker parameters than today's; store a new one. */
  needsRehash: boolean;
};

function isOutdated(passwordHash: string): boolean {
  const used = parseOptions(passwordHash);
  return (
    Number(used.algorithm) !== ARGON2ID ||
    used.memoryCost < ARGON2_OPTIONS.memoryCost ||
    used.timeCost < ARGON2_OPTIONS.timeCost
  );
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks `password` against `passwordHash`. With no hash (unknown user, or an account without a
 * password) it still verifies against a dummy hash of the same cost and answers invalid, so the
 * time taken does not tell whether the account exists.
 */
export async function verifyPassword(
  passwordHash: string | null | undefined,
  password: string,
): Promise<PasswordCheck> {
  if (!passwordHash) {
    dummyHash ??= hashPassword('switchyard-dummy-password-for-timing');
    await verify(await dummyHash, password).catch(() => false);
    return { valid: false, needsRehash: false };
  }
  try {
    const valid = await verify(passwordHash, password);
    return { valid, needsRehash: valid && isOutdated(passwordHash) };
  } catch {
    // A malformed stored hash is a wrong password, not a server error.
    return { valid: false, needsRehash: false };
  }
}
