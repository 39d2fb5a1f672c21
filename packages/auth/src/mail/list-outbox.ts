import { listMailMessages, type MailMessage } from '@switchyard/database';
import type { AuthDeps } from '../config';

/** The dev mailbox: recent outbox messages, newest first, optionally for one address. */
export async function listOutbox(
  options: { limit?: number; to?: string },
  deps: Pick<AuthDeps, 'db'>,
): Promise<MailMessage[]> {
  return listMailMessages(deps.db, {
    limit: options.limit ?? 50,
    ...(options.to === undefined ? {} : { to: options.to }),
  });
}
