import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMailMessages } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createTestAuthConfig, createTestLogger } from '../testing';
import { sendMail } from './send-mail';

type Received = { from: string; to: string[]; raw: string; user: string | undefined };

let database: TestDatabase;
let server: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = new SMTPServer({
    // Plain TCP on loopback: no STARTTLS, so no certificate to trust in the test.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 's3cret-pass') {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@rejected.test')) {
        callback(new Error('Mailbox unavailable'));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.drop();
});

function deps(smtpUrl?: string) {
  const config = createTestAuthConfig({
    mail: { from: 'Switchyard <no-reply@switchyard.test>', devMailbox: false, smtpUrl },
  });
  return { db: database.db, log: createTestLogger(), config };
}

describe('sendMail', () => {
  it('delivers through a real SMTP server with authentication and records sentAt', async () => {
    const message = await sendMail(
      {
        to: 'ada@example.com',
        subject: 'Hello there',
        text: 'Plain body',
        html: '<p>HTML body</p>',
      },
      deps(`smtp://mailer:s3cret-pass@127.0.0.1:${port}`),
    );

    expect(message.sentAt).toBeInstanceOf(Date);
    expect(message).toMatchObject({ attempts: 1, lastError: null });
    const delivered = received.find((mail) => mail.to.includes('ada@example.com'));
    expect(delivered).toMatchObject({ from: 'no-reply@switchyard.test', user: 'mailer' });
    expect(delivered?.raw).toContain('Subject: Hello there');
    expect(delivered?.raw).toContain('Plain body');
    expect(delivered?.raw).toContain('<p>HTML body</p>');
  });

  it('keeps the message in the outbox with the error when the server refuses it', async () => {
    const message = await sendMail(
      { to: 'nobody@rejected.test', subject: 'Refused', text: 'body' },
      deps(`smtp://mailer:s3cret-pass@127.0.0.1:${port}`),
    );

    expect(message.sentAt).toBeNull();
    expect(message.attempts).toBe(1);
    expect(message.lastError).toMatch(/Mailbox unavailable|Recipient/i);
    expect(received.some((mail) => mail.to.includes('nobody@rejected.test'))).toBe(false);
  });

  it('records the failure when the SMTP credentials are wrong', async () => {
    const message = await sendMail(
      { to: 'grace@example.com', subject: 'Bad auth', text: 'body' },
      deps(`smtp://mailer:wrong@127.0.0.1:${port}`),
    );

    expect(message.sentAt).toBeNull();
    expect(message.lastError).toMatch(/Invalid/);
  });

  it('only records the message in the outbox when no SMTP server is configured', async () => {
    const message = await sendMail(
      { to: 'outbox-only@example.com', subject: 'Dev', text: 'body' },
      deps(),
    );

    expect(message).toMatchObject({ sentAt: null, attempts: 0, lastError: null });
    expect(
      await listMailMessages(database.db, { limit: 5, to: 'outbox-only@example.com' }),
    ).toEqual([message]);
    expect(received.some((mail) => mail.to.includes('outbox-only@example.com'))).toBe(false);
  });
});
