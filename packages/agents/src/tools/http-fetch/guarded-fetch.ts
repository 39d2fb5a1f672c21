import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ToolError } from '../tool-error';
import { classifyAddress } from './classify-address';

/** Options for {@link guardedFetch}. */
export type GuardedFetchOptions = {
  method?: 'GET' | 'HEAD';
  /** Body bytes kept; the rest is dropped and `truncated` set. */
  maxBytes: number;
  /** Whole fetch, redirects included, ms. */
  timeoutMs: number;
  maxRedirects: number;
  signal?: AbortSignal;
  /**
   * TESTS ONLY. Addresses treated as public although they are not (e.g. `127.0.0.1` for a
   * local test server). Never set from configuration.
   */
  unsafeAllowAddressesForTests?: readonly string[];
};

export type GuardedResponse = {
  /** URL of the final response, after redirects. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
  truncated: boolean;
  /** URLs redirected through, in order. */
  redirects: string[];
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'SwitchyardAgent/1.0 (+http_fetch)';

type Target = { url: URL; address: string; family: 4 | 6 };

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Refuses anything but http(s) to a host whose every address is public; pins one address. */
async function resolveTarget(url: URL, allowForTests: ReadonlySet<string>): Promise<Target> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ToolError('refused', `Only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ToolError('refused', 'URLs with credentials are not fetched');
  }
  const host = hostOf(url);
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await dnsLookup(host, { all: true })).map((entry) => entry.address);
    } catch (error) {
      // EAI_AGAIN is a resolver hiccup; ENOTFOUND and the rest will not change on a retry.
      const retryable = error instanceof Error && 'code' in error && error.code === 'EAI_AGAIN';
      throw new ToolError('failed', `Could not resolve ${host}`, { retryable, cause: error });
    }
  }
  // Every address must be public: a name that also resolves to a private address is refused,
  // so DNS answers cannot steer the connection inside.
  const classes = addresses.map(classifyAddress);
  const blocked = classes.find((entry) => !entry.isPublic && !allowForTests.has(entry.address));
  if (blocked) {
    throw new ToolError(
      'refused',
      `${host} is not a public address (${blocked.range}); it cannot be fetched`,
    );
  }
  const [first] = classes;
  if (!first) throw new ToolError('failed', `${host} has no address`);
  return {
    url,
    address: first.address,
    family: ipaddr.parse(first.address).kind() === 'ipv6' ? 6 : 4,
  };
}

/** A DNS lookup that always answers the vetted address: the connection goes where we checked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function send(target: Target, method: string, signal: AbortSignal): Promise<IncomingMessage> {
  const { url } = target;
  const options: RequestOptions = {
    protocol: url.protocol,
    hostname: hostOf(url),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    method,
    headers: { 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity' },
    lookup: pinnedLookup(target.address, target.family),
    // A fresh connection per request: no pooled socket can outlive the address check.
    agent: false,
    signal,
  };
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options, resolve);
    request.on('error', reject);
    request.end();
  });
}

async function readLimited(response: IncomingMessage, maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      size = maxBytes;
      truncated = true;
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  response.destroy();
  return { body: Buffer.concat(chunks), truncated };
}

/**
 * Fetches a user- or model-supplied URL behind the SSRF guard (SECURITY.md 23): http(s) only,
 * DNS resolved first and every address checked, the connection pinned to the checked address,
 * every redirect checked again, and size and time limits.
 */
export async function guardedFetch(
  rawUrl: string,
  options: GuardedFetchOptions,
): Promise<GuardedResponse> {
  const allowForTests = new Set(
    (options.unsafeAllowAddressesForTests ?? []).map((address) => classifyAddress(address).address),
  );
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const method = options.method ?? 'GET';
  const redirects: string[] = [];
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ToolError('invalid_arguments', 'Not a valid URL');
  }

  try {
    for (;;) {
      const target = await resolveTarget(url, allowForTests);
      signal.throwIfAborted();
      const response = await send(target, method, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        response.destroy();
        if (redirects.length >= options.maxRedirects) {
          throw new ToolError('failed', `More than ${options.maxRedirects} redirects`);
        }
        redirects.push(url.toString());
        try {
          url = new URL(location, url);
        } catch {
          throw new ToolError('failed', 'The server redirected to an invalid URL');
        }
        continue;
      }
      const { body, truncated } =
        method === 'HEAD'
          ? { body: Buffer.alloc(0), truncated: false }
          : await readLimited(response, options.maxBytes);
      response.destroy();
      return {
        url: url.toString(),
        status,
        contentType: response.headers['content-type'],
        body,
        truncated,
        redirects,
      };
    }
  } catch (error) {
    if (error instanceof ToolError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new ToolError('timeout', `No complete answer within ${options.timeoutMs} ms`, {
        retryable: true,
        cause: error,
      });
    }
    throw new ToolError('failed', `The request to ${url.host} failed`, {
      retryable: true,
      cause: error,
    });
  }
}
