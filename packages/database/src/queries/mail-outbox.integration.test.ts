import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  deleteMailMessagesTo,
  insertMailMessage,
  listMailMessages,
  recordMailDeliveryAttempt,
} from './mail-outbox';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('mail outbox queries', () => {
  it('lists only the messages sent to an address, compared in any case', async () => {
    const first = await insertMailMessage(database.db, { to: 'a@x.test', subject: '1', text: 't' });
    const second = await insertMailMessage(database.db, {
      to: 'a@x.test',
      subject: '2',
      text: 't',
    });
    await insertMailMessage(database.db, { to: 'b@x.test', subject: '3', text: 't' });

    const listed = await listMailMessages(database.db, { limit: 10, to: 'A@X.test' });

    expect(listed.map((message) => message.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('records failed and successful delivery attempts', async () => {
    const message = await insertMailMessage(database.db, {
      to: 'c@x.test',
      subject: 's',
      text: 't',
    });
    const sentAt = new Date('2030-01-01T00:00:00.000Z');

    const failed = await recordMailDeliveryAttempt(database.db, {
      messageId: message.id,
      error: 'connection refused',
    });
    const sent = await recordMailDeliveryAttempt(database.db, { messageId: message.id, sentAt });

    expect(failed).toMatchObject({ attempts: 1, lastError: 'connection refused', sentAt: null });
    expect(sent).toMatchObject({ attempts: 2, lastError: null, sentAt });
  });

  it('deletes the messages sent to one address', async () => {
    await insertMailMessage(database.db, { to: 'gone@x.test', subject: 's', text: 't' });

    expect(await deleteMailMessagesTo(database.db, { to: 'Gone@x.test' })).toBe(1);
    expect(await listMailMessages(database.db, { limit: 10, to: 'gone@x.test' })).toEqual([]);
  });
});
