import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  completeTwoFactorLoginSchema,
  emailOnlySchema,
  logIn,
  completeTwoFactorLogin,
  logInSchema,
  reauthenticate,
  reauthenticateSchema,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  resetPasswordSchema,
  signUp,
  signUpSchema,
  tokenOnlySchema,
  verifyEmail,
} from '@switchyard/auth';
import { respondWithSession, sessionModeSchema } from '../../../plugins/session-cookies';
import {
  EXAMPLE_COOKIE_SESSION,
  EXAMPLE_LINK_TOKEN,
  EXAMPLE_PASSWORD,
  EXAMPLE_TOKEN_SESSION,
  EXAMPLE_TOTP_CODE,
  EXAMPLE_USER,
  withExamples,
} from '../openapi-examples';
import type { V1RouteOptions } from '../options';
import { auditContext, requestUser } from '../orgs/route-context';
import {
  acceptedSchema,
  publicUserSchema,
  sessionResponseSchema,
  twoFactorChallengeSchema,
} from './account-responses';

const PUBLIC = { policy: { kind: 'public' } } as const;
const TAGS = ['auth'];

const signUpBodySchema = withExamples(signUpSchema, {
  email: EXAMPLE_USER.email,
  password: EXAMPLE_PASSWORD,
  name: EXAMPLE_USER.name,
});
const tokenBodySchema = withExamples(tokenOnlySchema, { token: EXAMPLE_LINK_TOKEN });
const emailBodySchema = withExamples(emailOnlySchema, { email: EXAMPLE_USER.email });
const logInBodySchema = withExamples(
  logInSchema.extend({ mode: sessionModeSchema }),
  { email: EXAMPLE_USER.email, password: EXAMPLE_PASSWORD, mode: 'token' },
  { email: EXAMPLE_USER.email, password: EXAMPLE_PASSWORD, mode: 'cookie' },
);
const twoFactorLogInBodySchema = withExamples(
  completeTwoFactorLoginSchema.extend({ mode: sessionModeSchema }),
  { challengeToken: EXAMPLE_LINK_TOKEN, code: EXAMPLE_TOTP_CODE, mode: 'token' },
);
const resetPasswordBodySchema = withExamples(resetPasswordSchema, {
  token: EXAMPLE_LINK_TOKEN,
  password: 'a new passphrase for 2025',
  code: EXAMPLE_TOTP_CODE,
});
const reauthenticateBodySchema = withExamples(
  reauthenticateSchema.extend({ mode: sessionModeSchema }),
  { password: EXAMPLE_PASSWORD, code: EXAMPLE_TOTP_CODE, mode: 'token' },
);

const sessionExamplesSchema = withExamples(
  sessionResponseSchema,
  EXAMPLE_TOKEN_SESSION,
  EXAMPLE_COOKIE_SESSION,
);
const logInResponseSchema = withExamples(
  z.union([sessionResponseSchema, twoFactorChallengeSchema]),
  EXAMPLE_TOKEN_SESSION,
  {
    status: 'two_factor_required',
    challengeToken: EXAMPLE_LINK_TOKEN,
    expiresAt: '2025-01-01T12:05:00.000Z',
  },
);
const verifyEmailResponseSchema = withExamples(
  z.object({ purpose: z.enum(['verify_email', 'change_email']), user: publicUserSchema }),
  { purpose: 'verify_email', user: EXAMPLE_USER },
);
const passwordResetResponseSchema = withExamples(
  z.object({ status: z.literal('password_reset') }),
  { status: 'password_reset' },
);

/** The 202 of an endpoint that must not tell whether an address has an account. */
function accepted(message: string) {
  return {
    schema: withExamples(acceptedSchema, { status: 'accepted', message }),
    body: { status: 'accepted' as const, message },
  };
}

const SIGNED_UP = accepted('Check your inbox for a link to confirm your e-mail address.');
const VERIFICATION_RESENT = accepted(
  'If the address has an unverified account, a new link is on its way.',
);
const RESET_SENT = accepted('If the address has an account, a reset link is on its way.');

/**
 * Sign-up, e-mail verification, password login (with its second step), password reset and
 * re-authentication. Links in e-mails come from PUBLIC_URL only, never from this request's
 * Host or X-Forwarded-Host.
 */
export const accountsRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.post(
    '/v1/auth/signup',
    {
      config: PUBLIC,
      schema: {
        summary: 'Create an account and e-mail a verification link',
        description:
          'Always 202, whether or not the address already has an account (the owner of an ' +
          'existing one is e-mailed instead), so the answer reveals nothing.',
        tags: TAGS,
        body: signUpBodySchema,
        response: { 202: SIGNED_UP.schema },
      },
    },
    async (request, reply) => {
      await signUp({ input: request.body, context: auditContext(request) }, deps);
      return reply.code(202).send(SIGNED_UP.body);
    },
  );

  app.post(
    '/v1/auth/verify-email',
    {
      config: PUBLIC,
      schema: {
        summary: 'Follow an e-mailed verification or address-change link',
        tags: TAGS,
        body: tokenBodySchema,
        response: { 200: verifyEmailResponseSchema },
      },
    },
    async (request) =>
      verifyEmail({ token: request.body.token, context: auditContext(request) }, deps),
  );

  app.post(
    '/v1/auth/resend-verification',
    {
      config: PUBLIC,
      schema: {
        summary: 'E-mail a new verification link',
        description: 'Always 202; nothing is sent for unknown or already verified addresses.',
        tags: TAGS,
        body: emailBodySchema,
        response: { 202: VERIFICATION_RESENT.schema },
      },
    },
    async (request, reply) => {
      await resendVerification({ email: request.body.email }, deps);
      return reply.code(202).send(VERIFICATION_RESENT.body);
    },
  );

  app.post(
    '/v1/auth/login',
    {
      config: PUBLIC,
      schema: {
        summary: 'Log in with e-mail and password',
        description:
          'An unknown address and a wrong password get the same 401. With two-factor ' +
          'authentication enabled the answer is a challenge for `POST /v1/auth/login/two-factor`.',
        tags: TAGS,
        body: logInBodySchema,
        response: { 200: logInResponseSchema },
      },
    },
    async (request, reply) => {
      const { mode, ...input } = request.body;
      const result = await logIn({ input, context: auditContext(request) }, deps);
      if (result.status === 'two_factor_required') {
        return {
          status: result.status,
          challengeToken: result.challengeToken,
          expiresAt: result.expiresAt.toISOString(),
        };
      }
      return respondWithSession(reply, result.session, mode, {
        status: result.status,
        user: result.user,
      });
    },
  );

  app.post(
    '/v1/auth/login/two-factor',
    {
      config: PUBLIC,
      schema: {
        summary: 'Finish a login with an authenticator code or a recovery code',
        tags: TAGS,
        body: twoFactorLogInBodySchema,
        response: { 200: sessionExamplesSchema },
      },
    },
    async (request, reply) => {
      const { mode, ...input } = request.body;
      const result = await completeTwoFactorLogin({ input, context: auditContext(request) }, deps);
      return respondWithSession(reply, result.session, mode, {
        status: result.status,
        user: result.user,
      });
    },
  );

  app.post(
    '/v1/auth/forgot-password',
    {
      config: PUBLIC,
      schema: {
        summary: 'E-mail a password reset link',
        description: 'Always 202. The link works once, for 10 minutes.',
        tags: TAGS,
        body: emailBodySchema,
        response: { 202: RESET_SENT.schema },
      },
    },
    async (request, reply) => {
      await requestPasswordReset({ email: request.body.email }, deps);
      return reply.code(202).send(RESET_SENT.body);
    },
  );

  app.post(
    '/v1/auth/reset-password',
    {
      config: PUBLIC,
      schema: {
        summary: 'Set a new password with an e-mailed reset link',
        description:
          'Accounts with two-factor authentication must also give `code` or `recoveryCode`: ' +
          'without one the answer is 401 with `reason: two_factor_required` and the link stays ' +
          'valid. Every session of the account ends.',
        tags: TAGS,
        body: resetPasswordBodySchema,
        response: { 200: passwordResetResponseSchema },
      },
    },
    async (request) => {
      await resetPassword({ input: request.body, context: auditContext(request) }, deps);
      return { status: 'password_reset' as const };
    },
  );

  app.post(
    '/v1/auth/reauthenticate',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'Confirm the password (and second factor) before a sensitive action',
        description:
          'Answers a NEW session with a fresh authentication time; the calling session ends.',
        tags: TAGS,
        body: reauthenticateBodySchema,
        response: { 200: sessionExamplesSchema },
      },
    },
    async (request, reply) => {
      const { mode, ...input } = request.body;
      const auth = requestUser(request);
      const result = await reauthenticate(
        {
          userId: auth.userId,
          sessionId: auth.sessionId,
          input,
          context: auditContext(request),
        },
        deps,
      );
      return respondWithSession(reply, result.session, mode, {
        status: result.status,
        user: result.user,
      });
    },
  );
};
