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
import { clearSessionCookies } from '../../../plugins/session-cookies';
import { acceptedSchema, publicUserSchema } from '../auth/account-responses';
import type { V1RouteOptions } from '../options';
import { auditContext, requestUser } from '../orgs/route-context';

const TAGS = ['me'];
const AUTHENTICATED = { policy: { kind: 'authenticated' } } as const;
const RECENT_AUTH = { policy: { kind: 'recent-auth' } } as const;

const profileSchema = z.object({
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
});

/** The signed-in user's own account: profile, password, e-mail address, deletion. */
export const profileRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

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
    async (request) => getProfile({ userId: requestUser(request).userId }, deps),
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
        body: updateProfileSchema,
        response: { 200: z.object({ user: publicUserSchema }) },
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
        body: changePasswordSchema,
        response: {
          200: z.object({ status: z.literal('password_changed'), otherSessionsEnded: z.boolean() }),
        },
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
        body: changeEmailSchema,
        response: { 202: acceptedSchema },
      },
    },
    async (request, reply) => {
      await requestEmailChange(
        { userId: requestUser(request).userId, newEmail: request.body.newEmail },
        deps,
      );
      return reply.code(202).send({
        status: 'accepted' as const,
        message: 'Follow the link sent to the new address to confirm it.',
      });
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
        body: deleteAccountSchema,
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
