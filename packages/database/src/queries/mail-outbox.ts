import { and, desc, eq, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { mailOutbox, type MailMessage } from '../schema';

export type { MailMessage } from '../schema';

export type InsertMailMessageParams = {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
};

export async function insertMailMessage(
  db: DatabaseExecutor,
  params: InsertMailMessageParams,
): Promise<MailMessage> {
  const [message] = await db
    .insert(mailOutbox)
    .values({
      to: params.to,
      subject: params.subject,
      text: params.text,
      html: params.html ?? null,
    })
    .returning();
  if (!message) throw new Error('insert into mail_outbox returned no row');
  return message;
}

/** Records one delivery attempt: `sentAt` on success, else the error message. */
export async function recordMailDeliveryAttempt(
  db: DatabaseExecutor,
  params: { messageId: string } & ({ sentAt: Date } | { error: string }),
): Promise<MailMessage | null> {
  if (!isUuid(params.messageId)) return null;
  const outcome =
    'sentAt' in params ? { sentAt: params.sentAt, lastError: null } : { lastError: params.error };
  const [message] = await db
    .update(mailOutbox)
    .set({ ...outcome, attempts: sql`${mailOutbox.attempts} + 1` })
    .where(eq(mailOutbox.id, params.messageId))
    .returning();
  return message ?? null;
}

export const MAX_MAIL_MESSAGES_PAGE = 200;

/** Newest first, optionally only those sent to one address (compared case-insensitively). */
export async function listMailMessages(
  db: DatabaseExecutor,
  params: { limit: number; to?: string },
): Promise<MailMessage[]> {
  const limit = Math.min(Math.max(Math.trunc(params.limit), 1), MAX_MAIL_MESSAGES_PAGE);
  const conditions =
    params.to === undefined
      ? []
      : [sql`lower(${mailOutbox.to}) = ${params.to.trim().toLowerCase()}`];
  return db
    .select()
    .from(mailOutbox)
    .where(and(...conditions))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(limit);
}

/** Deletes every message sent to the address (an account being deleted takes its mail along). */
export async function deleteMailMessagesTo(
  db: DatabaseExecutor,
  params: { to: string },
): Promise<number> {
  const result = await db
    .delete(mailOutbox)
    .where(sql`lower(${mailOutbox.to}) = ${params.to.trim().toLowerCase()}`);
  return result.rowCount ?? 0;
}
