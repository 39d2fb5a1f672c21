import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listOutbox } from '@switchyard/auth';
import { EXAMPLE_LINK_TOKEN, EXAMPLE_USER, withExamples } from './openapi-examples';
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

const verifyLink = `http://localhost:3000/verify-email?token=${EXAMPLE_LINK_TOKEN}`;

const mailboxResponseSchema = withExamples(z.object({ messages: z.array(mailMessageSchema) }), {
  messages: [
    {
      id: '9c2e7a4f-1b3d-4f6a-8e5c-0d7b2a9f4e1c',
      to: EXAMPLE_USER.email,
      subject: 'Confirm your e-mail address',
      text: `Confirm your e-mail address for Switchyard: ${verifyLink}\n\nThe link works for 10 minutes.`,
      html: `<p>Confirm your e-mail address for Switchyard: <a href="${verifyLink}">confirm</a></p>`,
      createdAt: '2025-01-01T12:00:00.000Z',
      sentAt: null,
    },
  ],
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
        response: { 200: mailboxResponseSchema },
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
