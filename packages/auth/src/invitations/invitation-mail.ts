import type { MailContent } from '../mail/send-mail';

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

/** The accept link, built from the configured public URL only (never from request headers). */
export function buildInvitationLink(publicUrl: string, token: string): string {
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}/invitations/accept`);
  url.searchParams.set('token', token);
  return url.toString();
}

export function buildInvitationMail(params: {
  to: string;
  orgName: string;
  inviterName: string | null;
  role: string;
  link: string;
  expiresAt: Date;
}): MailContent {
  const who = params.inviterName ? `${params.inviterName} invited you` : 'You were invited';
  const intro = `${who} to join ${params.orgName} on Switchyard as ${params.role}.`;
  const expiry = `The link works once and expires on ${params.expiresAt.toUTCString()}.`;
  const note = `Sign in with ${params.to} (a verified address) to accept it.`;
  return {
    to: params.to,
    subject: `Join ${params.orgName} on Switchyard`,
    text: `${intro}\n\nAccept the invitation: ${params.link}\n\n${expiry} ${note}\n`,
    html:
      `<p>${escapeHtml(intro)}</p>` +
      `<p><a href="${escapeHtml(params.link)}">Accept the invitation</a></p>` +
      `<p>${escapeHtml(expiry)} ${escapeHtml(note)}</p>`,
  };
}
