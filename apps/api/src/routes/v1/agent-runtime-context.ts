import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '@switchyard/agents';
import { orgActor } from './orgs/route-context';

/** Who acts, as the agent runtime's audit log records it: a member or an org API key. */
export function runtimeActor(request: FastifyRequest): AuditActor {
  const actor = orgActor(request);
  const userAgent = request.headers['user-agent'];
  return {
    userId: actor.kind === 'member' ? actor.userId : null,
    apiKeyId: actor.kind === 'api_key' ? (actor.apiKeyId ?? null) : null,
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
}
