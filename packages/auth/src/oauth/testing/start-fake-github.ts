import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A GitHub user as `/user` and `/user/emails` describe them. */
export type FakeGithubUser = {
  id: number;
  login: string;
  name?: string | null;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
};

export type FakeGithub = {
  /** Base of the OAuth endpoints (GitHub's `https://github.com`). */
  oauthBaseUrl: string;
  /** Base of the REST API (GitHub's `https://api.github.com`). */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Signs `user` in at the fake and resolves the redirect back to the client (with `code` and `state`). */
  authorize: (authorizationUrl: string, user: FakeGithubUser) => Promise<URL>;
  /** Query parameters of every authorization request received, oldest first. */
  authorizationRequests: URLSearchParams[];
  close: () => Promise<void>;
};

type PendingCode = {
  user: FakeGithubUser;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
};

/**
 * A tiny stand-in for GitHub's OAuth app flow on 127.0.0.1: the authorize redirect, the token
 * exchange (checking the client secret, the redirect URI and the PKCE S256 verifier; errors
 * answered 200 with an `error` field like GitHub does), `/user` and `/user/emails`.
 */
export async function startFakeGithub(
  options: { clientId?: string; clientSecret?: string } = {},
): Promise<FakeGithub> {
  const clientId = options.clientId ?? 'fake-github-client';
  const clientSecret = options.clientSecret ?? 'fake-github-secret';
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, FakeGithubUser>();
  const authorizationRequests: URLSearchParams[] = [];
  let pendingUser: FakeGithubUser | undefined;

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(error instanceof Error ? error.message : 'fake github error');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const params = url.searchParams;
      authorizationRequests.push(params);
      const redirectUri = params.get('redirect_uri') ?? '';
      if (params.get('client_id') !== clientId || !pendingUser) return json(res, 400, {});
      const code = randomBytes(10).toString('hex');
      codes.set(code, {
        user: pendingUser,
        clientId,
        redirectUri,
        codeChallenge: params.get('code_challenge') ?? '',
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = new URLSearchParams(await readBody(req));
      const code = form.get('code') ?? '';
      const pending = codes.get(code);
      codes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !pending ||
        form.get('client_id') !== pending.clientId ||
        form.get('client_secret') !== clientSecret ||
        form.get('redirect_uri') !== pending.redirectUri ||
        challenge !== pending.codeChallenge
      ) {
        return json(res, 200, { error: 'bad_verification_code' });
      }
      const token = `gho_${randomBytes(12).toString('hex')}`;
      tokens.set(token, pending.user);
      return json(res, 200, {
        access_token: token,
        token_type: 'bearer',
        scope: 'read:user,user:email',
      });
    }
    const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (req.method === 'GET' && url.pathname === '/api/user') {
      if (!user) return json(res, 401, { message: 'Bad credentials' });
      return json(res, 200, { id: user.id, login: user.login, name: user.name ?? null });
    }
    if (req.method === 'GET' && url.pathname === '/api/user/emails') {
      if (!user) return json(res, 401, { message: 'Bad credentials' });
      return json(
        res,
        200,
        user.emails.map((entry) => ({ ...entry, visibility: null })),
      );
    }
    json(res, 404, { message: 'Not Found' });
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const origin = `http://127.0.0.1:${port}`;

  return {
    oauthBaseUrl: origin,
    apiBaseUrl: `${origin}/api`,
    clientId,
    clientSecret,
    authorizationRequests,
    async authorize(authorizationUrl, user) {
      pendingUser = user;
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (!location) throw new Error(`fake github answered ${response.status}`);
      return new URL(location);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
