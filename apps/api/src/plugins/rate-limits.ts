import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { hashToken, rateLimitedError } from '@switchyard/auth';
import { AppError, type Redis } from '@switchyard/shared';

/** At most `max` requests per `windowSeconds` (a fixed window from the first request). */
type RateLimit = { max: number; windowSeconds: number };

/**
 * The limits of one route. Both must pass: a client spreading attempts over many accounts
 * meets the IP limit, a botnet aiming at one account meets the account limit.
 */
export type RouteRateLimit = {
  /** Per client address (`request.ip`, IPv6 by /64); right behind proxies only with TRUST_PROXY. */
  perIp: RateLimit;
  /**
   * Per account the request is about: `email` is the (normalised) `email` of the body, counted
   * whether or not it has an account; `user` is the signed-in user (or API key).
   */
  perAccount?: RateLimit & { account: 'email' | 'user' };
};

const MINUTE = 60;
const TEN_MINUTES = 600;
const HOUR = 3600;

/** A signed-in user's sensitive action: plenty for a person, little for a script. */
const USER_ACTION: RouteRateLimit = {
  perIp: { max: 60, windowSeconds: MINUTE },
  perAccount: { account: 'user', max: 10, windowSeconds: MINUTE },
};

/** Endpoints that e-mail an address given in the body: the account limit guards its inbox. */
const MAILS_ADDRESS: RouteRateLimit = {
  perIp: { max: 20, windowSeconds: TEN_MINUTES },
  perAccount: { account: 'email', max: 5, windowSeconds: HOUR },
};

/**
 * Every rate limit of the API, by route (`METHOD url` as registered), in one place (SECURITY.md
 * 1, 6, 26). Progressive delays after failed passwords and codes come on top of these; they are
 * in `@switchyard/auth` (`DEFAULT_THROTTLE_SETTINGS`). The app refuses to start when an entry
 * names no route, so renaming a route cannot silently drop its limit.
 */
export const DEFAULT_RATE_LIMITS = {
  'POST /v1/auth/login': {
    perIp: { max: 100, windowSeconds: MINUTE },
    perAccount: { account: 'email', max: 10, windowSeconds: MINUTE },
  },
  // The account is known only from the challenge; the service delays wrong codes per user.
  'POST /v1/auth/login/two-factor': { perIp: { max: 50, windowSeconds: MINUTE } },
  'POST /v1/auth/signup': MAILS_ADDRESS,
  'POST /v1/auth/forgot-password': MAILS_ADDRESS,
  'POST /v1/auth/resend-verification': MAILS_ADDRESS,
  // Token-only bodies: the tokens are unguessable, the limit is against floods.
  'POST /v1/auth/verify-email': { perIp: { max: 30, windowSeconds: TEN_MINUTES } },
  'POST /v1/auth/reset-password': { perIp: { max: 30, windowSeconds: TEN_MINUTES } },
  'POST /v1/auth/refresh': { perIp: { max: 300, windowSeconds: MINUTE } },
  'POST /v1/auth/reauthenticate': USER_ACTION,
  'POST /v1/me/password': USER_ACTION,
  'POST /v1/me/email': {
    perIp: { max: 20, windowSeconds: TEN_MINUTES },
    perAccount: { account: 'user', max: 5, windowSeconds: HOUR },
  },
  'POST /v1/me/two-factor/setup': USER_ACTION,
  'POST /v1/me/two-factor/enable': USER_ACTION,
  'POST /v1/me/two-factor/disable': USER_ACTION,
  'POST /v1/me/two-factor/recovery-codes': USER_ACTION,
  'POST /v1/orgs/:orgId/api-keys': {
    perIp: { max: 60, windowSeconds: MINUTE },
    perAccount: { account: 'user', max: 20, windowSeconds: MINUTE },
  },
  'DELETE /v1/orgs/:orgId/api-keys/:keyId': {
    perIp: { max: 60, windowSeconds: MINUTE },
    perAccount: { account: 'user', max: 30, windowSeconds: MINUTE },
  },
  'DELETE /v1/api-keys/:keyId': {
    perIp: { max: 60, windowSeconds: MINUTE },
    perAccount: { account: 'user', max: 30, windowSeconds: MINUTE },
  },
  'POST /v1/orgs/:orgId/invitations': {
    perIp: { max: 100, windowSeconds: HOUR },
    perAccount: { account: 'user', max: 50, windowSeconds: HOUR },
  },
  'POST /v1/invitations/accept': {
    perIp: { max: 30, windowSeconds: MINUTE },
    perAccount: { account: 'user', max: 10, windowSeconds: MINUTE },
  },
  'GET /v1/auth/oauth/:provider/start': { perIp: { max: 60, windowSeconds: MINUTE } },
  'GET /v1/auth/oauth/:provider/callback': { perIp: { max: 60, windowSeconds: MINUTE } },
} as const satisfies Record<string, RouteRateLimit>;

type RateLimitedRoute = keyof typeof DEFAULT_RATE_LIMITS;

/** Replaces the limits of some routes (tests); the others keep their defaults. */
export type RateLimitOverrides = Partial<Record<RateLimitedRoute, RouteRateLimit>>;

export type RateLimitsPluginOptions = {
  /** Counters live here, so every API instance on the same Redis shares them. */
  redis: Redis;
  overrides?: RateLimitOverrides;
};

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Hook = (request: FastifyRequest) => Promise<void>;

/** The table's name of a route; HEAD routes Fastify adds for GET ones share their limit. */
function routeName(route: RouteOptions, method: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${route.url}`;
}

function accountOf(request: FastifyRequest, account: 'email' | 'user'): string | undefined {
  if (account === 'user') {
    if (request.auth.kind === 'user') return `user:${request.auth.userId}`;
    if (request.auth.kind === 'api_key') return `api-key:${request.auth.apiKeyId}`;
    return undefined;
  }
  const body = request.body as { email?: unknown } | null | undefined;
  const email = body?.email;
  // Hashed: no addresses in Redis. The body schema has already trimmed and lowercased it.
  return typeof email === 'string' ? `email:${hashToken(email.trim().toLowerCase())}` : undefined;
}

async function enforce(
  request: FastifyRequest,
  limiter: Limiter,
  log: { name: string; scope: 'ip' | 'account' },
): Promise<void> {
  let result: Awaited<ReturnType<Limiter>>;
  try {
    result = await limiter(request);
  } catch (error) {
    // Fail closed: without its counters an endpoint that needs them does not run.
    throw new AppError('SERVICE_UNAVAILABLE', {
      message: 'The service is busy. Try again shortly.',
      cause: error,
    });
  }
  if (result.isAllowed || !result.isExceeded) return;
  request.log.info({ limit: log.name, scope: log.scope }, 'rate limit exceeded');
  throw rateLimitedError({ retryAfterSeconds: result.ttlInSeconds, reason: 'too_many_requests' });
}

function createHooks(
  app: FastifyInstance,
  name: string,
  limit: RouteRateLimit,
): { onRequest: Hook; preHandler?: Hook } {
  const ipLimiter = app.createRateLimit({
    max: limit.perIp.max,
    timeWindow: limit.perIp.windowSeconds * 1000,
    keyGenerator: (request) => `${name}|ip|${normalizeIP(request.ip)}`,
  });
  const onRequest: Hook = (request) => enforce(request, ipLimiter, { name, scope: 'ip' });
  const perAccount = limit.perAccount;
  if (!perAccount) return { onRequest };

  const accountLimiter = app.createRateLimit({
    max: perAccount.max,
    timeWindow: perAccount.windowSeconds * 1000,
    keyGenerator: (request) => `${name}|${accountOf(request, perAccount.account) ?? 'none'}`,
  });
  // A preHandler: the body has been parsed and validated, and `request.auth` resolved.
  const preHandler: Hook = async (request) => {
    if (accountOf(request, perAccount.account) === undefined) return;
    await enforce(request, accountLimiter, { name, scope: 'account' });
  };
  return { onRequest, preHandler };
}

function appendHook<T>(existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  // A new array: Fastify copies GET options for the HEAD route, which must not share ours.
  return Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

/**
 * Redis-backed rate limits (`@fastify/rate-limit`) on the routes of `DEFAULT_RATE_LIMITS`:
 * per IP in `onRequest`, per account in `preHandler`, each answering 429 problem+json with
 * `Retry-After`. Register after the authenticate plugin and before the routes.
 */
export const rateLimitsPlugin = fp(
  async (app: FastifyInstance, options: RateLimitsPluginOptions) => {
    const limits: Record<string, RouteRateLimit> = {
      ...DEFAULT_RATE_LIMITS,
      ...options.overrides,
    };
    await app.register(fastifyRateLimit, {
      global: false,
      redis: options.redis,
      nameSpace: 'rate-limit:',
    });

    const applied = new Set<string>();
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        const name = routeName(route, method);
        const limit = limits[name];
        if (!limit) continue;
        applied.add(name);
        const hooks = createHooks(app, name, limit);
        route.onRequest = appendHook(route.onRequest, hooks.onRequest);
        if (hooks.preHandler) route.preHandler = appendHook(route.preHandler, hooks.preHandler);
      }
    });

    app.addHook('onReady', async () => {
      const unknown = Object.keys(limits).filter((name) => !applied.has(name));
      if (unknown.length > 0) {
        throw new Error(`rate limits name routes that do not exist: ${unknown.join(', ')}`);
      }
    });
  },
  { name: 'rate-limits', dependencies: ['authenticate'] },
);
