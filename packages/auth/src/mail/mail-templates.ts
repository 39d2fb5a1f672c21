import type { MailContent } from './send-mail';

type MailBody = Omit<MailContent, 'to'>;

type MailParts = {
  subject: string;
  name: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
};

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Plain-text and HTML bodies from the same parts; every user-supplied value is escaped. */
function renderMail(parts: MailParts): MailBody {
  const greeting = `Hello ${parts.name},`;
  const textBlocks = [greeting, ...parts.paragraphs];
  const htmlBlocks = [greeting, ...parts.paragraphs].map((block) => `<p>${escapeHtml(block)}</p>`);
  if (parts.action) {
    textBlocks.push(`${parts.action.label}: ${parts.action.url}`);
    const href = escapeHtml(parts.action.url);
    htmlBlocks.push(`<p><a href="${href}">${escapeHtml(parts.action.label)}</a></p>`);
    htmlBlocks.push(`<p>Or paste this link into your browser: ${href}</p>`);
  }
  const footer = parts.footer ?? 'If you did not ask for this, you can ignore this e-mail.';
  textBlocks.push(footer, '— Switchyard');
  htmlBlocks.push(`<p>${escapeHtml(footer)}</p>`, '<p>— Switchyard</p>');
  return {
    subject: parts.subject,
    text: `${textBlocks.join('\n\n')}\n`,
    html: `<!doctype html><html><body>${htmlBlocks.join('')}</body></html>`,
  };
}

function minutes(seconds: number): string {
  const value = Math.max(1, Math.round(seconds / 60));
  return value === 1 ? '1 minute' : `${value} minutes`;
}

export function verifyEmailMail(params: { name: string; link: string; ttlSeconds: number }) {
  return renderMail({
    subject: 'Confirm your e-mail address',
    name: params.name,
    paragraphs: [
      'Confirm your e-mail address to finish setting up your Switchyard account.',
      `The link works once and expires in ${minutes(params.ttlSeconds)}.`,
    ],
    action: { label: 'Confirm e-mail address', url: params.link },
  });
}

/** Sent instead of a second account when someone signs up with an address already registered. */
export function accountExistsMail(params: { name: string; loginLink: string; resetLink: string }) {
  return renderMail({
    subject: 'Someone tried to sign up with your e-mail address',
    name: params.name,
    paragraphs: [
      'Someone, perhaps you, tried to create a Switchyard account with this e-mail address, which already has one.',
      `If it was you, log in at ${params.loginLink}, or reset your password at ${params.resetLink}.`,
    ],
    footer: 'If it was not you, no action is needed: nothing was changed.',
  });
}

export function resetPasswordMail(params: { name: string; link: string; ttlSeconds: number }) {
  return renderMail({
    subject: 'Reset your password',
    name: params.name,
    paragraphs: [
      'Someone asked to reset the password of your Switchyard account.',
      `The link works once and expires in ${minutes(params.ttlSeconds)}.`,
    ],
    action: { label: 'Choose a new password', url: params.link },
  });
}

export function confirmEmailChangeMail(params: {
  name: string;
  newEmail: string;
  link: string;
  ttlSeconds: number;
}) {
  return renderMail({
    subject: 'Confirm your new e-mail address',
    name: params.name,
    paragraphs: [
      `Confirm that ${params.newEmail} should become the e-mail address of your Switchyard account.`,
      `The link works once and expires in ${minutes(params.ttlSeconds)}.`,
    ],
    action: { label: 'Confirm new e-mail address', url: params.link },
  });
}

export function emailChangedMail(params: { name: string; newEmail: string }) {
  return renderMail({
    subject: 'Your e-mail address was changed',
    name: params.name,
    paragraphs: [`The e-mail address of your Switchyard account is now ${params.newEmail}.`],
    footer: 'If you did not make this change, contact your administrator right away.',
  });
}

export function passwordChangedMail(params: { name: string; resetLink: string }) {
  return renderMail({
    subject: 'Your password was changed',
    name: params.name,
    paragraphs: [
      'The password of your Switchyard account was just changed.',
      `If this was not you, reset your password now at ${params.resetLink}.`,
    ],
    footer: 'If it was you, no action is needed.',
  });
}
