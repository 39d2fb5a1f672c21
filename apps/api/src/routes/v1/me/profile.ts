import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  changeEmailSchema,
  changePassword,
  changePasswordSchema,
  deleteAccount,
  deleteAccountSchema,
  getProfile,
  requestEmailChange,
  updateProfile,
  updateProfileSchema,
} from '@switchyard/auth';
import { MEMBERSHIP_ROLES } from '@switchyard/database';
import { isPlatformAdmin } from '../../../plugins/platform-admin';
import { clearSessionCookies } from '../../../plugins/session-cookies';
import { acceptedSchema, publicUserSchema } from '../auth/account-responses';
import { EXAMPLE_PASSWORD, EXAMPLE_USER, withExamples } from '../openapi-examples';
import type { V1RouteOptions } from '../options';
import { auditContext, requestUser } from '../orgs/route-context';

const TAGS = ['me'];
const AUTHENTICATED = { policy: { kind: 'authenticated' } } as const;
const RECENT_AUTH = { policy: { kind: 'recent-auth' } } as const;

const profileSchema = withExamples(
  z.object({
    user: publicUserSchema,
    memberships: z.array(
      z.object({
        orgId: z.uuid(),
        role: z.enum(MEMBERSHIP_ROLES),
        organization: z.object({
          id: z.uuid(),
          name: z.string(),
          slug: z.string(),
          personal: z.boolean(),
        }),
      }),
    ),
    hasPassword: z.boolean(),
    twoFactorEnabled: z.boolean(),
    recoveryCodesRemaining: z.number().int(),
    platformAdmin: z
      .boolean()
      .describe(
        'Whether the user may use the worker manager (`/v1/admin`): their verified e-mail is in ' +
          'PLATFORM_ADMIN_EMAILS.',
      ),
  }),
  {
    user: EXAMPLE_USER,
    memberships: [
      {
        orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
        role: 'owner',
        organization: {
          id: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
          name: 'Ada Lovelace',
          slug: 'ada-lovelace-3f9a1c2b',
          personal: true,
        },
      },
      {
        orgId: '0b8e9c1e-5f8a-4a47-9d6e-2f1a3b4c5d6e',
        role: 'admin',
        organization: {
          id: '0b8e9c1e-5f8a-4a47-9d6e-2f1a3b4c5d6e',
          name: 'Acme Robotics',
          slug: 'acme-robotics-7d2e4f1a',
          personal: false,
        },
      },
    ],
    hasPassword: true,
    twoFactorEnabled: true,
    recoveryCodesRemaining: 9,
    platformAdmin: false,
  },
);

const updateProfileBodySchema = withExamples(updateProfileSchema, { name: 'Ada King' });
const userResponseSchema = withExamples(z.object({ user: publicUserSchema }), {
  user: { ...EXAMPLE_USER, name: 'Ada King' },
});
const changePasswordBodySchema = withExamples(changePasswordSchema, {
  currentPassword: EXAMPLE_PASSWORD,
  newPassword: 'a new passphrase for 2025',
});
const passwordChangedSchema = withExamples(
  z.object({ status: z.literal('password_changed'), otherSessionsEnded: z.boolean() }),
  { status: 'password_changed', otherSessionsEnded: true },
);
const EMAIL_CHANGE_MESSAGE = 'Follow the link sent to the new address to confirm it.';
const changeEmailBodySchema = withExamples(changeEmailSchema, {
  newEmail: 'ada.king@example.com',
});
const emailChangeAcceptedSchema = withExamples(acceptedSchema, {
  status: 'accepted',
  message: EMAIL_CHANGE_MESSAGE,
});
const deleteAccountBodySchema = withExamples(deleteAccountSchema, { password: EXAMPLE_PASSWORD });

/** The signed-in user's own account: profile, password, e-mail address, deletion. */
export const profileRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;
  type Answer = Awaited<ReturnType<typeof getProfile>> & { platformAdmin: boolean };
  const answers = new WeakMap<object, Answer>();

  app.get(
    '/v1/me',
    {
      config: AUTHENTICATED,
      schema: {
        summary: 'The signed-in user, their organizations and second-factor state',
        tags: TAGS,
        response: { 200: profileSchema },
      },
    },
    async (request) => {
      const profile = await getProfile({ userId: requestUser(request).userId }, deps);
      // One frozen answer per cached (frozen) profile, so its JSON is built once, not per request.
      let answer = answers.get(profile);
      if (!answer) {
        answer = Object.freeze<Answer>({
          ...profile,
          platformAdmin: isPlatformAdmin(profile.user, app.platformAdminEmails),
        });
        answers.set(profile, answer);
      }
      return answer;
    },
  );

  app.patch(
    '/v1/me',
    {
      config: AUTHENTICATED,
      schema: {
        summary: 'Change the display name',
        description:
          'Only `name` is read; anything else in the body (ids, role, e-mail) is ignored.',
        tags: TAGS,
        body: updateProfileBodySchema,
        response: { 200: userResponseSchema },
      },
    },
    async (request) => ({
      user: await updateProfile({ userId: requestUser(request).userId, input: request.body }, deps),
    }),
  );

  app.post(
    '/v1/me/password',
    {
      config: AUTHENTICATED,
      schema: {
        summary: 'Change the password (the current one is required)',
        description:
          'Every other session ends; offer "log out everywhere" (`POST /v1/auth/logout-all`) too.',
        tags: TAGS,
        body: changePasswordBodySchema,
        response: { 200: passwordChangedSchema },
      },
    },
    async (request) => {
      const auth = requestUser(request);
      await changePassword(
        {
          userId: auth.userId,
          sessionId: auth.sessionId,
          input: request.body,
          context: auditContext(request),
        },
        deps,
      );
      return { status: 'password_changed' as const, otherSessionsEnded: true };
    },
  );

  app.post(
    '/v1/me/email',
    {
      config: RECENT_AUTH,
      schema: {
        summary: 'Change the e-mail address: a confirmation link goes to the new one',
        description:
          'The address changes when the link is followed (`POST /v1/auth/verify-email`).',
        tags: TAGS,
        body: changeEmailBodySchema,
        response: { 202: emailChangeAcceptedSchema },
      },
    },
    async (request, reply) => {
      await requestEmailChange(
        { userId: requestUser(request).userId, newEmail: request.body.newEmail },
        deps,
      );
      return reply.code(202).send({ status: 'accepted' as const, message: EMAIL_CHANGE_MESSAGE });
    },
  );

  app.delete(
    '/v1/me',
    {
      config: RECENT_AUTH,
      schema: {
        summary: 'Delete the account and its data',
        description:
          'Needs a recent re-authentication and the password (accounts that have one). ' +
          'Refused with 409 while the user is the only owner of a shared organization.',
        tags: TAGS,
        body: deleteAccountBodySchema,
        response: { 204: z.null().describe('Deleted; every session has ended.') },
      },
    },
    async (request, reply) => {
      const auth = requestUser(request);
      await deleteAccount(
        { userId: auth.userId, input: request.body, context: auditContext(request) },
        deps,
      );
      if (auth.via === 'cookie') clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );
};
