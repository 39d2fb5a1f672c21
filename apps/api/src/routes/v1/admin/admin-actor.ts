import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '@switchyard/agents';
import { requestUser } from '../orgs/route-context';

/** The platform admin of a `platform-admin` route, as the audit log records them. */
export function adminActor(request: FastifyRequest): AuditActor {
  const userAgent = request.headers['user-agent'];
  return {
    userId: requestUser(request).userId,
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
}
