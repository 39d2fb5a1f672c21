import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  disableTwoFactor,
  enableTwoFactor,
  enableTwoFactorSchema,
  regenerateRecoveryCodes,
  secondFactorSchema,
  setUpTwoFactor,
} from '@switchyard/auth';
import { recoveryCodesSchema } from '../auth/account-responses';
import {
  EXAMPLE_RECOVERY_CODE,
  EXAMPLE_RECOVERY_CODES,
  EXAMPLE_TOTP_CODE,
  EXAMPLE_USER,
  withExamples,
} from '../openapi-examples';
import type { V1RouteOptions } from '../options';
import { auditContext, requestUser } from '../orgs/route-context';

const TAGS = ['two-factor'];
const RECENT_AUTH = { policy: { kind: 'recent-auth' } } as const;

const EXAMPLE_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const setupResponseSchema = withExamples(
  z.object({
    secret: z.string().describe('Base32, for apps that cannot scan the QR code.'),
    otpauthUrl: z.string(),
    qrCodeDataUrl: z.string().describe('PNG data URL of the QR code of `otpauthUrl`.'),
  }),
  {
    secret: EXAMPLE_SECRET,
    otpauthUrl: `otpauth://totp/Switchyard:${encodeURIComponent(EXAMPLE_USER.email)}?secret=${EXAMPLE_SECRET}&issuer=Switchyard&algorithm=SHA1&digits=6&period=30`,
    qrCodeDataUrl:
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  },
);
const codeBodySchema = withExamples(enableTwoFactorSchema, { code: EXAMPLE_TOTP_CODE });
const secondFactorBodySchema = withExamples(
  secondFactorSchema,
  { code: EXAMPLE_TOTP_CODE },
  { recoveryCode: EXAMPLE_RECOVERY_CODE },
);
const recoveryCodesResponseSchema = withExamples(recoveryCodesSchema, {
  recoveryCodes: EXAMPLE_RECOVERY_CODES,
});
const disabledResponseSchema = withExamples(z.object({ twoFactorEnabled: z.literal(false) }), {
  twoFactorEnabled: false,
});

/** TOTP enrolment, recovery codes and switching the second factor off. */
export const twoFactorRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.post(
    '/v1/me/two-factor/setup',
    {
      config: RECENT_AUTH,
      schema: {
        summary: 'Start TOTP enrolment: a secret and its QR code',
        description: 'Nothing is enabled until `POST /v1/me/two-factor/enable` confirms a code.',
        tags: TAGS,
        response: { 200: setupResponseSchema },
      },
    },
    async (request) => setUpTwoFactor({ userId: requestUser(request).userId }, deps),
  );

  app.post(
    '/v1/me/two-factor/enable',
    {
      // The set-up it completes needed a recent re-authentication, and it needs a code from it.
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'Confirm a code from the app, enable TOTP and get ten recovery codes',
        tags: TAGS,
        body: codeBodySchema,
        response: { 200: recoveryCodesResponseSchema },
      },
    },
    async (request) =>
      enableTwoFactor(
        {
          userId: requestUser(request).userId,
          code: request.body.code,
          context: auditContext(request),
        },
        deps,
      ),
  );

  app.post(
    '/v1/me/two-factor/disable',
    {
      config: RECENT_AUTH,
      schema: {
        summary: 'Turn TOTP off (needs a current code or a recovery code)',
        description: 'Deletes the secret and the recovery codes; every other session ends.',
        tags: TAGS,
        body: secondFactorBodySchema,
        response: { 200: disabledResponseSchema },
      },
    },
    async (request) => {
      const auth = requestUser(request);
      await disableTwoFactor(
        {
          userId: auth.userId,
          sessionId: auth.sessionId,
          code: request.body.code,
          recoveryCode: request.body.recoveryCode,
          context: auditContext(request),
        },
        deps,
      );
      return { twoFactorEnabled: false as const };
    },
  );

  app.post(
    '/v1/me/two-factor/recovery-codes',
    {
      config: RECENT_AUTH,
      schema: {
        summary: 'Replace the recovery codes with ten new ones',
        tags: TAGS,
        response: { 200: recoveryCodesResponseSchema },
      },
    },
    async (request) =>
      regenerateRecoveryCodes(
        { userId: requestUser(request).userId, context: auditContext(request) },
        deps,
      ),
  );
};
