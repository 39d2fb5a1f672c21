import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

/** A person at the test provider. */
export type TestOidcAccount = {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
};

export type TokenResponseTransform = (
  body: Record<string, unknown>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type TestOidcProvider = {
  /** `http://127.0.0.1:<port>`: the issuer and discovery base. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Follows an authorization URL like a browser: signs `account` in and consents at the
   * provider, and resolves the redirect back to the client (the callback URL with `code`,
   * `state` and `iss`). Error redirects to the client resolve the same way.
   */
  authorize: (authorizationUrl: string, account: TestOidcAccount) => Promise<URL>;
  /** Rewrites the next successful token responses (for example to swap the ID token); undefined stops. */
  setTokenResponseTransform: (transform: TokenResponseTransform | undefined) => void;
  /**
   * An ID token signed with the provider's own key (or, with `foreignKey`, a key the provider
   * never published but with the same `kid`).
   */
  signIdToken: (
    claims: Record<string, unknown>,
    options?: { foreignKey?: boolean },
  ) => Promise<string>;
  close: () => Promise<void>;
};

export type StartTestOidcProviderOptions = {
  /** Redirect URIs registered for the client, for example the API's callback URL. */
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
};

const KID = 'test-oidc-key';

/**
 * A real OpenID Provider (`oidc-provider`) on 127.0.0.1 with one confidential client that must
 * use PKCE. Login and consent are automated: its interaction endpoint signs in the account
 * passed to `authorize` and grants the requested scopes, so a test drives the whole
 * authorization-code flow over HTTP.
 */
export async function startTestOidcProvider(
  options: StartTestOidcProviderOptions,
): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? 'switchyard-test-client';
  const clientSecret = options.clientSecret ?? 'switchyard-test-client-secret-0123456789';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid: KID, alg: 'RS256', use: 'sig' };

  const accounts = new Map<string, TestOidcAccount>();
  let pendingAccount: TestOidcAccount | undefined;
  let transform: TokenResponseTransform | undefined;

  // The provider listens behind a front server on the issuer's port, which can rewrite token
  // responses; the inner one gets its own port so the front can forward to it.
  const front = createServer();
  const frontPort = await listen(front);
  const issuer = `http://127.0.0.1:${frontPort}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: ['switchyard-test-oidc-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          ...(account.email === undefined ? {} : { email: account.email }),
          ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
          ...(account.name === undefined ? {} : { name: account.name }),
        }),
      };
    },
  });
  const handle = provider.callback();

  const inner = createServer(handle);
  const innerPort = await listen(inner);

  async function finishInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId ?? pendingAccount?.sub;
    if (!accountId) throw new Error('test provider: authorize() was not given an account');
    const clientIdParam = String(details.params.client_id);
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: clientIdParam });
    if (!grant) throw new Error('test provider: interaction grant vanished');
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  front.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    const work = path.startsWith('/interaction/')
      ? finishInteraction(req, res)
      : path === '/token' && req.method === 'POST' && transform
        ? forwardToken(req, res, `http://127.0.0.1:${innerPort}`, transform)
        : Promise.resolve(handle(req, res));
    work.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : 'test provider error');
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    async authorize(authorizationUrl, account) {
      accounts.set(account.sub, account);
      pendingAccount = account;
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      // Each hop is the provider's; the first redirect elsewhere is the one back to the client.
      for (let hop = 0; hop < 10; hop += 1) {
        const response = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair = ''] = cookie.split(';');
          const separator = pair.indexOf('=');
          jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
        }
        const location = response.headers.get('location');
        if (!location) {
          throw new Error(`test provider answered ${response.status}: ${await response.text()}`);
        }
        url = new URL(location, url);
        if (url.origin !== issuer) return url;
      }
      throw new Error('test provider: too many redirects');
    },
    setTokenResponseTransform(next) {
      transform = next;
    },
    async signIdToken(claims, signOptions = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
        .sign(signOptions.foreignKey ? foreign.privateKey : privateKey);
    },
    async close() {
      await Promise.all([closeServer(front), closeServer(inner)]);
    },
  };
}

async function forwardToken(
  req: IncomingMessage,
  res: ServerResponse,
  innerOrigin: string,
  transform: TokenResponseTransform,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const name of ['authorization', 'content-type', 'accept']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const upstream = await fetch(`${innerOrigin}${req.url ?? '/token'}`, {
    method: 'POST',
    headers,
    body: Buffer.concat(chunks),
  });
  const body = (await upstream.json()) as Record<string, unknown>;
  const output = upstream.ok ? await transform(body) : body;
  res.writeHead(upstream.status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(output));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
