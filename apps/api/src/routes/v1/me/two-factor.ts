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
import type { V1RouteOptions } from '../options';
import { auditContext, requestUser } from '../orgs/route-context';

const TAGS = ['two-factor'];
const RECENT_AUTH = { policy: { kind: 'recent-auth' } } as const;

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
        response: {
          200: z.object({
            secret: z.string().describe('Base32, for apps that cannot scan the QR code.'),
            otpauthUrl: z.string(),
            qrCodeDataUrl: z.string().describe('PNG data URL of the QR code of `otpauthUrl`.'),
          }),
        },
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
        body: enableTwoFactorSchema,
        response: { 200: recoveryCodesSchema },
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
        body: secondFactorSchema,
        response: { 200: z.object({ twoFactorEnabled: z.literal(false) }) },
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
        response: { 200: recoveryCodesSchema },
      },
    },
    async (request) =>
      regenerateRecoveryCodes(
        { userId: requestUser(request).userId, context: auditContext(request) },
        deps,
      ),
  );
};
