import { generateSecret, generateURI, verify } from 'otplib';

/** Authenticator-app defaults (RFC 6238 with SHA-1, 6 digits, 30 s): what every app supports. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Name shown in the authenticator app next to the account. */
const TOTP_ISSUER = 'Switchyard';

/** A new Base32 secret of 20 random bytes (160 bits, RFC 4226's recommendation). */
export function generateTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://totp/...` URI an authenticator app reads from the QR code. */
export function buildOtpauthUrl(params: { secret: string; accountName: string }): string {
  return generateURI({
    issuer: TOTP_ISSUER,
    label: params.accountName,
    secret: params.secret,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The 30-second time step that contains `now`. */
export function getTotpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * Checks a code at `now`, allowing one step of clock drift either way. Resolves the time step the
 * code belongs to, or null when it matches none. With `afterStep`, a code of that step or an
 * earlier one is refused, so an accepted code cannot be replayed.
 */
export async function verifyTotpCode(params: {
  secret: string;
  code: string;
  now: Date;
  afterStep?: number | null;
}): Promise<number | null> {
  const code = params.code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret: params.secret,
    token: code,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(params.now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(params.afterStep === undefined || params.afterStep === null
      ? {}
      : { afterTimeStep: params.afterStep }),
  });
  // The functional API's result type also covers HOTP, which has no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
