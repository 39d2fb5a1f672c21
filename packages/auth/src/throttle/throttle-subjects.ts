import { isIP } from 'node:net';
import { normalizeEmail } from '@switchyard/database';
import { hashToken } from '../crypto';

/**
 * What failures are counted against. `account` counters are cleared by a success; `ip` counters
 * never are (an attacker would clear theirs by signing in to an account of their own).
 */
export type ThrottleSubject = { scope: 'account' | 'ip'; key: string };

/**
 * Password attempts: the e-mail address as typed (normalised), whether or not it has an account,
 * so the delays tell nothing about which addresses exist. Hashed: no addresses in Redis.
 */
export function passwordSubjects(params: { email: string; ip?: string | null }): ThrottleSubject[] {
  const account: ThrottleSubject = {
    scope: 'account',
    key: `password:${hashToken(normalizeEmail(params.email))}`,
  };
  return withIp(account, params.ip);
}

/** Second-factor codes (TOTP or recovery) of one user, whichever flow asks for them. */
export function secondFactorSubjects(params: {
  userId: string;
  ip?: string | null;
}): ThrottleSubject[] {
  return withIp({ scope: 'account', key: `second-factor:${params.userId}` }, params.ip);
}

function withIp(account: ThrottleSubject, ip: string | null | undefined): ThrottleSubject[] {
  if (!ip || isIP(ip) === 0) return [account];
  return [account, { scope: 'ip', key: `ip:${toThrottleIp(ip)}` }];
}

/**
 * The unit an address is counted in: an IPv4 address itself, an IPv6 address's /64 (one
 * subscriber usually holds a whole /64, so counting single addresses would be no limit at all).
 */
export function toThrottleIp(ip: string): string {
  const address = ip.replace(/%.*$/, '').toLowerCase();
  if (isIP(address) === 4) return address;
  const groups = expandIpv6(address);
  if (!groups) return address;
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address it stands for.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function expandIpv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [Number.parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head = '', tail] = address.split('::');
  const headGroups = toGroups(head);
  const tailGroups = tail === undefined ? [] : toGroups(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  return [...headGroups, ...zeros, ...tailGroups];
}
