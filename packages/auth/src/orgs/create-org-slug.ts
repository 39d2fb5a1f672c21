import { randomBytes } from 'node:crypto';

const SLUG_MAX_LENGTH = 40;

/**
 * A URL-safe, probably unique slug for an org name: the name in kebab-case plus a random suffix
 * (the caller retries on the rare `organizations_slug_unique` collision).
 */
export function createOrgSlug(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/g, '');
  const suffix = randomBytes(4).toString('hex');
  return base ? `${base}-${suffix}` : `org-${suffix}`;
}
