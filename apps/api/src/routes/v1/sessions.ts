import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  getJwks,
  listSessions,
  refreshSession,
  revokeAllSessions,
  revokeSession,
  type SessionActor,
} from '@switchyard/auth';
import { AppError, isAppError } from '@switchyard/shared';
import { assertCsrf, type UserAuth } from '../../plugins/authenticate';
import {
  clearSessionCookies,
  REFRESH_COOKIE,
  respondWithSession,
  sessionResponseSchema,
} from '../../plugins/session-cookies';
import { EXAMPLE_ACCESS_TOKEN, EXAMPLE_REFRESH_TOKEN, withExamples } from './openapi-examples';
import type { V1RouteOptions } from './options';

const TAGS = ['sessions'];

const refreshBodySchema = withExamples(
  z
    .object({
      refreshToken: z
        .string()
        .min(1)
        .max(512)
        .optional()
        .describe('Token mode. Omit it to use the `__Host-sy_refresh` cookie (web app).'),
    })
    // No body at all is fine (cookie mode).
    .nullish(),
  { refreshToken: EXAMPLE_REFRESH_TOKEN },
);

const refreshResponseSchema = withExamples(
  sessionResponseSchema,
  {
    accessToken: EXAMPLE_ACCESS_TOKEN,
    refreshToken: 'Vb6Kc3Hs8Jd5Mf0Ga2Ye7Uo4Ii9Qp4Lq9Xw2Rz7Tn1',
    expiresIn: 600,
    tokenType: 'Bearer',
  },
  { expiresIn: 600 },
);

const logoutAllBodySchema = withExamples(
  z
    .object({
      keepCurrent: z
        .boolean()
        .default(false)
        .describe('Keep the session making this request ("log out everywhere else").'),
    })
    .nullish(),
  { keepCurrent: true },
);

const logoutAllResponseSchema = withExamples(z.object({ revokedCount: z.number().int() }), {
  revokedCount: 3,
});

const sessionSummarySchema = z.object({
  id: z.uuid(),
  device: z.string().describe('For example `Firefox on Windows`.'),
  ip: z.string().nullable(),
  method: z.string().describe('`password` or `oauth:<provider>`.'),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  current: z.boolean().describe('The session making this request.'),
});

const sessionListSchema = withExamples(z.object({ sessions: z.array(sessionSummarySchema) }), {
  sessions: [
    {
      id: '8d1f4b2a-6c3e-4a5b-9f7d-2e1c0b9a8d7f',
      device: 'Firefox on Windows',
      ip: '203.0.113.7',
      method: 'password',
      createdAt: '2025-01-01T12:00:00.000Z',
      lastSeenAt: '2025-01-02T08:30:00.000Z',
      current: true,
    },
    {
      id: '5a9e3c7b-1d2f-4e8a-b6c4-7f0d9e2a1b3c',
      device: 'Safari on iPhone',
      ip: '198.51.100.23',
      method: 'oauth:google',
      createdAt: '2024-12-28T19:15:00.000Z',
      lastSeenAt: '2025-01-01T21:02:00.000Z',
      current: false,
    },
  ],
});

const jwksSchema = withExamples(
  z.object({
    keys: z.array(z.record(z.string(), z.unknown())),
  }),
  {
    keys: [
      {
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        kid: 'k1',
        alg: 'ES256',
        use: 'sig',
      },
    ],
  },
);

/** The signed-in user of an `authenticated` route (the policy guarantees one). */
function requireUser(request: FastifyRequest): UserAuth {
  if (request.auth.kind !== 'user') throw new AppError('UNAUTHENTICATED');
  return request.auth;
}

function actorOf(request: FastifyRequest, userId: string): SessionActor {
  const userAgent = request.headers['user-agent'];
  return { userId, ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

function clearCookiesOf(request: FastifyRequest, reply: FastifyReply): void {
  // Bearer clients have no cookies to clear; a browser's would otherwise linger until expiry.
  if (request.auth.kind === 'user' && request.auth.via === 'cookie') clearSessionCookies(reply);
}

/** Refresh, logout, the user's sessions and the JWKS (area A of the identity contract). */
export const sessionsRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.post(
    '/v1/auth/refresh',
    {
      config: { policy: { kind: 'public' } },
      schema: {
        summary: 'Exchange a refresh token for new tokens (each refresh token works once)',
        description:
          'Token mode: send `refreshToken` in the body; the new tokens are in the response. ' +
          'Cookie mode (web app): send no body; the `__Host-sy_refresh` cookie is used, which ' +
          'needs the `x-csrf-token` header, and new cookies are set. Presenting a refresh token ' +
          'a second time ends its session.',
        tags: TAGS,
        body: refreshBodySchema,
        response: { 200: refreshResponseSchema },
      },
    },
    async (request, reply) => {
      const userAgent = request.headers['user-agent'];
      const meta = { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
      const fromBody = request.body?.refreshToken;
      if (fromBody !== undefined) {
        const result = await refreshSession(fromBody, meta, deps);
        return respondWithSession(reply, result, 'token', {});
      }
      const fromCookie = request.cookies[REFRESH_COOKIE];
      if (!fromCookie) {
        throw new AppError('UNAUTHENTICATED', { message: 'No refresh token was sent.' });
      }
      assertCsrf(request);
      try {
        const result = await refreshSession(fromCookie, meta, deps);
        return respondWithSession(reply, result, 'cookie', {});
      } catch (error) {
        if (isAppError(error) && error.code === 'UNAUTHENTICATED') clearSessionCookies(reply);
        throw error;
      }
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'End the current session',
        tags: TAGS,
        response: { 204: z.null().describe('Signed out; session cookies are cleared.') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await revokeSession(
        {
          sessionId: user.sessionId,
          userId: user.userId,
          reason: 'logout',
          actor: actorOf(request, user.userId),
        },
        deps,
      );
      clearCookiesOf(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/auth/logout-all',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'End every session of the user ("log out everywhere")',
        tags: TAGS,
        body: logoutAllBodySchema,
        response: { 200: logoutAllResponseSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const keepCurrent = request.body?.keepCurrent ?? false;
      const result = await revokeAllSessions(
        {
          userId: user.userId,
          except: keepCurrent ? user.sessionId : undefined,
          reason: 'logout_all',
          actor: actorOf(request, user.userId),
        },
        deps,
      );
      if (!keepCurrent) clearCookiesOf(request, reply);
      return result;
    },
  );

  app.get(
    '/v1/me/sessions',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'List your active sessions (device, IP, last seen)',
        tags: TAGS,
        response: { 200: sessionListSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const sessions = await listSessions(
        { userId: user.userId, currentSessionId: user.sessionId },
        deps,
      );
      return {
        sessions: sessions.map((session) => ({
          ...session,
          createdAt: session.createdAt.toISOString(),
          lastSeenAt: session.lastSeenAt.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/v1/me/sessions/:sessionId',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'End one of your sessions',
        description: 'A session of another user is answered 404, like a missing one.',
        tags: TAGS,
        params: z.object({ sessionId: z.uuid() }),
        response: { 204: z.null().describe('The session has ended.') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await revokeSession(
        {
          sessionId: request.params.sessionId,
          userId: user.userId,
          reason: 'user_revoked',
          actor: actorOf(request, user.userId),
        },
        deps,
      );
      if (request.params.sessionId === user.sessionId) clearCookiesOf(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      config: { policy: { kind: 'public' } },
      schema: {
        summary: 'Public keys that verify access tokens (JSON Web Key Set)',
        tags: TAGS,
        response: { 200: jwksSchema },
      },
    },
    async (_request, reply) => {
      // Short enough that a newly rotated key is seen long before the old one expires.
      reply.header('cache-control', 'public, max-age=300');
      return getJwks(deps);
    },
  );
};
