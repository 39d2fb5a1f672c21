import { z } from 'zod';

/**
 * The web app's settings, read once from the environment. This is the only file that reads
 * `process.env`; `next.config.ts` and server components import `env` from here.
 *
 * `API_INTERNAL_URL` is where the web server reaches the api (server-side fetches and the
 * `/api/*` rewrite). The rewrite destination is written into `.next/routes-manifest.json` by
 * `next build` and `next start` does not re-read it, so build and start must see the same value;
 * server-side fetches read it at request time.
 */
const webEnvSchema = z.object({
  API_INTERNAL_URL: z
    .string()
    .default('http://127.0.0.1:4000')
    .refine(isHttpUrl, 'must be an http(s) URL like http://127.0.0.1:4000')
    .transform((value) => value.replace(/\/+$/, '')),
  /** Build output folder, relative to apps/web. The e2e test builds into its own folder. */
  WEB_DIST_DIR: z
    .string()
    .default('.next')
    .refine(
      (value) => !value.startsWith('/') && !value.split('/').includes('..'),
      'must be a folder inside apps/web, like .next',
    ),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

/** Parses the web settings; empty strings count as unset. Throws one error naming every problem. */
export function parseWebEnv(source: Record<string, string | undefined>): WebEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = webEnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  - ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  );
  throw new Error(`web: invalid configuration:\n${problems.join('\n')}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export const env = parseWebEnv(process.env);
