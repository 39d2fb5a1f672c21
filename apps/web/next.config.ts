import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';
import { env } from './env';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// No nonces, so inline scripts need 'unsafe-inline' (Next streams its RSC payload through inline
// scripts); nonces would force every page to render dynamically. Dev adds 'unsafe-eval' for React's
// debugging tools. No upgrade-insecure-requests: self-hosters may serve plain http on a LAN.
const buildContentSecurityPolicy = (isDev: boolean): string =>
  [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

const buildSecurityHeaders = (isDev: boolean) => [
  { key: 'Content-Security-Policy', value: buildContentSecurityPolicy(isDev) },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

export default function createNextConfig(phase: string): NextConfig {
  const securityHeaders = buildSecurityHeaders(phase === PHASE_DEVELOPMENT_SERVER);
  return {
    output: 'standalone',
    distDir: env.WEB_DIST_DIR,
    poweredByHeader: false,
    reactStrictMode: true,
    // The repo is an npm workspace: trace and bundle from the root so hoisted packages are found.
    outputFileTracingRoot: repoRoot,
    turbopack: { root: repoRoot },
    async headers() {
      // Proxied api responses keep the api's own headers (its CSP for /docs differs from ours).
      return [{ source: '/((?!api(?:/|$)).*)', headers: securityHeaders }];
    },
    async rewrites() {
      // Same-origin proxy to the api. Baked into the build output: see env.ts.
      return [{ source: '/api/:path*', destination: `${env.API_INTERNAL_URL}/:path*` }];
    },
  };
}
