import { z } from 'zod';
import { defineTool } from '../types';
import { guardedFetch } from './guarded-fetch';

/** Options for {@link createHttpFetchTool}. */
export type HttpFetchToolOptions = {
  /** Body bytes returned at most (default 512 KiB); the rest is cut and `truncated` set. */
  maxBytes?: number;
  /** Whole fetch, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /**
   * TESTS ONLY: addresses the SSRF guard treats as public (e.g. `127.0.0.1` for a local test
   * server). Never wire this to configuration.
   */
  unsafeAllowAddressesForTests?: readonly string[];
};

export const httpFetchArgumentsSchema = z.object({
  url: z.string().min(1).max(2048).describe('Absolute http:// or https:// URL to fetch'),
  method: z
    .enum(['GET', 'HEAD'])
    .default('GET')
    .describe('GET returns the body; HEAD only status and type'),
});

const TEXTUAL =
  /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|x-www-form-urlencoded)\b)/i;

/**
 * `http_fetch`: GET or HEAD a public URL. Private, loopback, link-local, metadata, unique-local
 * and CGNAT addresses are refused, before the request and after every redirect.
 */
export function createHttpFetchTool(options: HttpFetchToolOptions = {}) {
  return defineTool({
    name: 'http_fetch',
    description:
      'Fetch a public web page or API over HTTP(S) and return its status, content type and text.',
    parameters: httpFetchArgumentsSchema,
    sideEffects: false,
    async execute(args, context) {
      const response = await guardedFetch(args.url, {
        method: args.method,
        maxBytes: options.maxBytes ?? 512 * 1024,
        timeoutMs: options.timeoutMs ?? 10_000,
        maxRedirects: options.maxRedirects ?? 5,
        signal: context.signal,
        ...(options.unsafeAllowAddressesForTests
          ? { unsafeAllowAddressesForTests: options.unsafeAllowAddressesForTests }
          : {}),
      });
      const contentType = response.contentType ?? null;
      const isText = contentType === null || TEXTUAL.test(contentType);
      return {
        url: response.url,
        status: response.status,
        contentType,
        bytes: response.body.length,
        truncated: response.truncated,
        // Binary bodies are of no use to a language model; say what was there instead.
        body: isText ? response.body.toString('utf8') : null,
      };
    },
  });
}
