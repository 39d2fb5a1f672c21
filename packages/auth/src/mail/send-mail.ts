import {
  insertMailMessage,
  recordMailDeliveryAttempt,
  type MailMessage,
} from '@switchyard/database';
import type { AuthDeps } from '../config';
import { getMailTransport } from './mail-transport';

export type MailContent = {
  to: string;
  subject: string;
  text: string;
  html?: string;
};

/**
 * Records the message in the outbox and, when an SMTP server is configured, delivers it there and
 * records the outcome. A delivery failure is logged and kept on the row (`lastError`), never
 * thrown: the request that caused the mail has already done its work.
 */
export async function sendMail(
  content: MailContent,
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<MailMessage> {
  const message = await insertMailMessage(deps.db, content);
  const { smtpUrl, from } = deps.config.mail;
  if (!smtpUrl) return message;
  try {
    await getMailTransport(smtpUrl).sendMail({
      from,
      to: content.to,
      subject: content.subject,
      text: content.text,
      ...(content.html === undefined ? {} : { html: content.html }),
    });
    const sent = await recordMailDeliveryAttempt(deps.db, {
      messageId: message.id,
      sentAt: deps.now ? deps.now() : new Date(),
    });
    return sent ?? message;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.log.error({ err: error, mailId: message.id }, 'sending an e-mail through SMTP failed');
    const failed = await recordMailDeliveryAttempt(deps.db, {
      messageId: message.id,
      error: reason.slice(0, 1_000),
    });
    return failed ?? message;
  }
}
