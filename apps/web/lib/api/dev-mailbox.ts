import { z } from 'zod';
import { ApiError } from './api-error';
import { getApiClient, type ApiClient } from './client';
import { mailMessageSchema, type MailMessage } from './schemas';

export type Mailbox = { enabled: true; messages: MailMessage[] } | { enabled: false };

/** The dev mailbox; the api does not register the route when it is off, so a 404 means "off". */
export async function getDevMailbox(client: ApiClient = getApiClient()): Promise<Mailbox> {
  try {
    const { messages } = await client.request('/dev/mailbox', {
      schema: z.object({ messages: z.array(mailMessageSchema) }),
      refreshOnUnauthorized: false,
    });
    return { enabled: true, messages };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { enabled: false };
    throw error;
  }
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; href: string };

const URL_PATTERN = /https?:\/\/[^\s<>"')\]]+/g;

/** Splits an e-mail's plain text into text and http(s) links, so links can be made clickable. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const href = match[0].replace(/[.,;:!?]+$/, '');
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
