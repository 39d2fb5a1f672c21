import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  completeOAuthLogin,
  listOAuthProviders,
  OAUTH_STATE_COOKIE,
  startOAuthLogin,
} from '@switchyard/auth';
import { isAppError } from '@switchyard/shared';
import { setSessionCookies } from '../../../plugins/session-cookies';
import type { V1RouteOptions } from '../options';

const PUBLIC = { policy: { kind: 'public' } } as const;

const providerParamsSchema = z.object({
  provider: z.string().min(1).max(64).describe('A configured provider id: google, github, oidc.'),
});

const providersResponseSchema = z
  .object({
    providers: z.array(
      z.object({ id: z.string(), kind: z.enum(['oidc', 'github']), displayName: z.string() }),
    ),
  })
  .meta({
    examples: [
      {
        providers: [
          { id: 'google', kind: 'oidc', displayName: 'Google' },
          { id: 'github', kind: 'github', displayName: 'GitHub' },
        ],
      },
    ],
  });

const startQuerySchema = z.object({
  redirectTo: z
    .string()
    .max(2_048)
    .optional()
    .describe('A path on this site to land on after signing in (default `/`).'),
});

// The provider decides which parameters it sends back (`code`, `state`, `iss`, `error`, and
// extras such as Google's `scope`, `authuser`, `prompt`); each must be a single string.
const callbackQuerySchema = z
  .object({
    code: z.string().max(4_096).optional(),
    state: z.string().max(1_024).optional(),
    iss: z.string().max(2_048).optional(),
    error: z.string().max(256).optional(),
    error_description: z.string().max(2_048).optional(),
  })
  .catchall(z.string().max(4_096));

/**
 * Sign-in with Google, GitHub or any OpenID Connect provider (SECURITY.md 7, 15). Browser
 * navigations, not XHR: `/start` answers a redirect to the provider, `/callback` a redirect to
 * the web app: the requested page with session cookies, the second-factor page, or
 * `/login?oauthError=<reason>` when the sign-in was refused.
 */
export const oauthRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;
  const publicUrl = deps.config.publicUrl.replace(/\/+$/, '');

  const oauthCookie = {
    path: '/',
    secure: deps.config.cookieSecure,
    httpOnly: true,
    // Lax: the provider's redirect back is a cross-site top-level GET and must carry it.
    sameSite: 'lax',
  } as const;

  app.get(
    '/v1/auth/oauth/providers',
    {
      config: PUBLIC,
      schema: {
        tags: ['auth'],
        summary: 'The identity providers users can sign in with, for the login page.',
        response: { 200: providersResponseSchema },
      },
    },
    async () => ({ providers: listOAuthProviders(deps.config) }),
  );

  app.get(
    '/v1/auth/oauth/:provider/start',
    {
      config: PUBLIC,
      schema: {
        tags: ['auth'],
        summary: 'Redirects the browser to the provider to sign in.',
        params: providerParamsSchema,
        querystring: startQuerySchema,
      },
    },
    async (request, reply) => {
      const started = await startOAuthLogin(
        { providerId: request.params.provider, redirectTo: request.query.redirectTo },
        deps,
      );
      reply.setCookie(OAUTH_STATE_COOKIE, started.stateCookie, {
        ...oauthCookie,
        maxAge: started.stateCookieMaxAgeSeconds,
      });
      reply.header('cache-control', 'no-store');
      return reply.redirect(started.authorizationUrl, 302);
    },
  );

  app.get(
    '/v1/auth/oauth/:provider/callback',
    {
      config: PUBLIC,
      schema: {
        tags: ['auth'],
        summary: "The provider's redirect back; signs in and redirects to the web app.",
        params: providerParamsSchema,
        querystring: callbackQuerySchema,
      },
    },
    async (request, reply) => {
      const { provider } = request.params;
      const stateCookie = request.cookies[OAUTH_STATE_COOKIE];
      // One attempt per cookie, whatever the outcome.
      reply.clearCookie(OAUTH_STATE_COOKIE, oauthCookie);
      reply.header('cache-control', 'no-store');
      let result: Awaited<ReturnType<typeof completeOAuthLogin>>;
      try {
        result = await completeOAuthLogin(
          {
            providerId: provider,
            query: request.query,
            stateCookie,
            context: { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
          },
          deps,
        );
      } catch (error) {
        // An unknown provider is a 404 like any unknown URL; anything unexpected is a 500.
        if (!isAppError(error) || error.code === 'NOT_FOUND') throw error;
        const reason =
          typeof error.details?.reason === 'string' ? error.details.reason : 'oauth_failed';
        request.log.info(
          {
            provider,
            reason,
            ...(error.status >= 500 ? { err: error.cause } : {}),
          },
          'oauth sign-in refused',
        );
        return reply.redirect(
          `${publicUrl}/login?${new URLSearchParams({ oauthError: reason })}`,
          302,
        );
      }
      if (result.status === 'two_factor_required') {
        const query = new URLSearchParams({
          challenge: result.challengeToken,
          redirectTo: result.redirectTo,
        });
        return reply.redirect(`${publicUrl}/login/two-factor?${query}`, 302);
      }
      setSessionCookies(reply, result.session);
      return reply.redirect(`${publicUrl}${result.redirectTo}`, 302);
    },
  );
};
