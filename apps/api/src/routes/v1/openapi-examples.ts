import type { z } from 'zod';

/**
 * Sample values for the OpenAPI document: made up, never real credentials. Shared so that the
 * same user, tokens and codes appear throughout the document.
 */
export const EXAMPLE_USER = {
  id: '3f0e9c5a-7b1d-4e2f-9a6b-8c4d2e1f0a7b',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  emailVerified: true,
  createdAt: '2025-01-01T12:00:00.000Z',
};

export const EXAMPLE_PASSWORD = 'correct horse battery staple';
export const EXAMPLE_TOTP_CODE = '492039';
export const EXAMPLE_RECOVERY_CODE = 'k7mq-3xwp-9cha-rt2v';
/** An e-mailed link's token, or a login challenge. */
export const EXAMPLE_LINK_TOKEN = 'p4Lq9Xw2Rz7Tn1Vb6Kc3Hs8Jd5Mf0Ga2Ye7Uo4Ii9Q';
export const EXAMPLE_REFRESH_TOKEN = 'Zr3xQ8mV1pL6tN0cW4yB7kD2sF9hJ5gA8eU3oI6qR1w';
export const EXAMPLE_ACCESS_TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.' +
  'eyJzdWIiOiIzZjBlOWM1YS03YjFkLTRlMmYtOWE2Yi04YzRkMmUxZjBhN2IiLCJleHAiOjE3MzU3MzM2MDB9.' +
  'c2lnbmF0dXJlLW9mLXRoZS1leGFtcGxlLXRva2Vu';

/** A session started in token mode. */
export const EXAMPLE_TOKEN_SESSION = {
  status: 'authenticated' as const,
  user: EXAMPLE_USER,
  accessToken: EXAMPLE_ACCESS_TOKEN,
  refreshToken: EXAMPLE_REFRESH_TOKEN,
  expiresIn: 600,
  tokenType: 'Bearer' as const,
};

/** The same in cookie mode: the tokens are in `__Host-` cookies, not in the body. */
export const EXAMPLE_COOKIE_SESSION = {
  status: 'authenticated' as const,
  user: EXAMPLE_USER,
  expiresIn: 600,
};

export const EXAMPLE_RECOVERY_CODES = [
  'k7mq-3xwp-9cha-rt2v',
  'b4nd-8ueh-x2kz-6wqs',
  'r9pt-v3mj-5yca-h7ge',
  'w2xs-k6bn-d8rf-3pzu',
  'e5hq-m9ta-j4wc-y7nv',
  'g3uz-p7kd-2xre-s9bm',
  'n6fw-c4hy-t8qa-5jkx',
  'z8vr-h2pe-6msu-d3wt',
  'q5ck-y9gn-4bxa-p7ej',
  'u3ta-f6wz-9rkh-m2cv',
];

type Documented = { schema: z.ZodType; examples: unknown[] };

const documented: Documented[] = [];

/**
 * `schema` with OpenAPI examples (`.meta({ examples })`, which @fastify/swagger turns into the
 * media type's `example`/`examples`). The examples are type-checked against the schema's input,
 * and `listDocumentedExamples` lets a test parse each with its schema.
 */
export function withExamples<T extends z.ZodType>(schema: T, ...examples: Array<z.input<T>>): T {
  const documentedSchema = schema.meta({ examples });
  documented.push({ schema: documentedSchema, examples });
  return documentedSchema;
}

/** Every schema given examples so far, with them (for tests). */
export function listDocumentedExamples(): readonly Documented[] {
  return documented;
}
