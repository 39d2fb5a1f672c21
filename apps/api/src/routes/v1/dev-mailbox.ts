import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listOutbox } from '@switchyard/auth';
import type { V1RouteOptions } from './options';

const mailboxQuerySchema = z.object({
  to: z.string().trim().max(254).optional().describe('Only the messages sent to this address.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const mailMessageSchema = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/**
 * The dev mailbox: every e-mail the platform "sent", for a machine without an SMTP server. It
 * shows reset links to anyone who can reach it, so `v1Routes` registers it only when
 * `DEV_MAILBOX` is on (by default only without SMTP_URL and with a localhost PUBLIC_URL).
 */
export const devMailboxRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  app.get(
    '/v1/dev/mailbox',
    {
      config: { policy: { kind: 'public' } },
      schema: {
        summary: 'Development only: the e-mails in the outbox, newest first',
        tags: ['dev'],
        querystring: mailboxQuerySchema,
        response: { 200: z.object({ messages: z.array(mailMessageSchema) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const messages = await listOutbox(request.query, app.authDeps);
      return {
        messages: messages.map((message) => ({
          id: message.id,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          createdAt: message.createdAt.toISOString(),
          sentAt: message.sentAt?.toISOString() ?? null,
        })),
      };
    },
  );
};
