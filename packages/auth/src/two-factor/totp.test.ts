import { generate, stringToBytes } from 'otplib';
import { describe, expect, it } from 'vitest';
import { buildOtpauthUrl, generateTotpSecret, getTotpStep, verifyTotpCode } from './totp';

// RFC 6238 appendix B: the seeds are the ASCII strings below, codes have 8 digits.
const SEEDS = {
  sha1: stringToBytes('12345678901234567890'),
  sha256: stringToBytes('12345678901234567890123456789012'),
  sha512: stringToBytes('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: Array<[number, string, string, string]> = [
  // [time, SHA-1, SHA-256, SHA-512]
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP', () => {
  it.each(VECTORS)('matches the RFC 6238 appendix B vectors at T=%i', async (time, ...codes) => {
    const algorithms = ['sha1', 'sha256', 'sha512'] as const;
    const generated = await Promise.all(
      algorithms.map((algorithm) =>
        generate({ secret: SEEDS[algorithm], algorithm, digits: 8, period: 30, epoch: time }),
      ),
    );

    expect(generated).toEqual(codes);
  });

  it.each(VECTORS)('verifies the 6-digit form of the SHA-1 vector at T=%i', async (time, sha1) => {
    // Base32 of the ASCII seed "12345678901234567890"; a 6-digit code is the vector mod 10^6.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const now = new Date(time * 1000);

    expect(await verifyTotpCode({ secret, code: sha1.slice(-6), now })).toBe(getTotpStep(now));
  });

  it('accepts the current code and one step of drift either way, not two', async () => {
    const secret = generateTotpSecret();
    const now = new Date('2030-01-01T00:00:15.000Z');
    const at = (offsetSeconds: number) =>
      generate({ secret, epoch: Math.floor(now.getTime() / 1000) + offsetSeconds });

    expect(await verifyTotpCode({ secret, code: await at(0), now })).toBe(getTotpStep(now));
    expect(await verifyTotpCode({ secret, code: await at(-30), now })).toBe(getTotpStep(now) - 1);
    expect(await verifyTotpCode({ secret, code: await at(30), now })).toBe(getTotpStep(now) + 1);
    expect(await verifyTotpCode({ secret, code: await at(-60), now })).toBeNull();
    expect(await verifyTotpCode({ secret, code: await at(60), now })).toBeNull();
  });

  it('refuses a code of the step already used or an earlier one', async () => {
    const secret = generateTotpSecret();
    const now = new Date('2030-01-01T00:00:15.000Z');
    const code = await generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
    const step = getTotpStep(now);

    expect(await verifyTotpCode({ secret, code, now, afterStep: step - 1 })).toBe(step);
    expect(await verifyTotpCode({ secret, code, now, afterStep: step })).toBeNull();
  });

  it('refuses malformed codes', async () => {
    const secret = generateTotpSecret();
    const now = new Date();

    expect(await verifyTotpCode({ secret, code: 'abcdef', now })).toBeNull();
    expect(await verifyTotpCode({ secret, code: '1234567', now })).toBeNull();
  });

  it('builds an otpauth URI for authenticator apps', () => {
    const url = new URL(
      buildOtpauthUrl({ secret: 'JBSWY3DPEHPK3PXPJBSWY3DP', accountName: 'a@x.test' }),
    );

    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXPJBSWY3DP');
    expect(url.searchParams.get('issuer')).toBe('Switchyard');
  });
});
