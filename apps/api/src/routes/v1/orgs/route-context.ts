import type { FastifyRequest } from 'fastify';
import type { Actor, AuditContext, MemberActor } from '@switchyard/auth';
import { AppError } from '@switchyard/shared';
import type { UserAuth } from '../../../plugins/authenticate';

/** The actor of an `org`-policy route, as the authenticate plugin resolved it. */
export function orgActor(request: FastifyRequest): Actor {
  if (!request.org) throw new Error(`route ${request.url} reads the org but has no org policy`);
  return request.org.actor;
}

/** The member actor of an `org`-policy route that refuses API keys. */
export function orgMemberActor(request: FastifyRequest): MemberActor {
  const actor = orgActor(request);
  if (actor.kind !== 'member') {
    throw new AppError('FORBIDDEN', {
      message: 'API keys cannot use this endpoint.',
      details: { reason: 'api_key_not_allowed' },
    });
  }
  return actor;
}

/** The signed-in user of an `authenticated`-policy route. */
export function requestUser(request: FastifyRequest): UserAuth {
  if (request.auth.kind !== 'user') throw new AppError('UNAUTHENTICATED');
  return request.auth;
}

/** Whether the calling session verified a second factor (false for API keys). */
export function isTwoFactorVerified(request: FastifyRequest): boolean {
  return request.auth.kind === 'user' && request.auth.session.twoFactorVerified;
}

/** Request origin for audit events. */
export function auditContext(request: FastifyRequest): AuditContext {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
}
