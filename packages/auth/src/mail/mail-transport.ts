import { createTransport, type Transporter } from 'nodemailer';

const transports = new Map<string, Transporter>();

/**
 * One SMTP transport per URL (`smtp://user:pass@host:587`, `smtps://...:465`), reused for every
 * message. Timeouts keep a dead mail server from holding a request for minutes.
 */
export function getMailTransport(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}
