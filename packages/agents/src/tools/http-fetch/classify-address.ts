import ipaddr from 'ipaddr.js';

export type AddressClass = {
  /** Canonical form; an IPv4-mapped IPv6 address is given as IPv4. */
  address: string;
  /** ipaddr.js range name: `unicast`, `private`, `loopback`, `linkLocal`, `uniqueLocal`, … */
  range: string;
  /** True only for globally routable unicast addresses. */
  isPublic: boolean;
};

// Global unicast IPv6 is 2000::/3; everything else (::/96 IPv4-compatible, 5f00::/16, …) is not.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Classifies an IP address for the SSRF guard (SECURITY.md 23). An allow-list, not a block-list:
 * only plain unicast IPv4 and global-unicast IPv6 are public. Private (10/8, 172.16/12,
 * 192.168/16), loopback, link-local (169.254/16, including the cloud metadata address
 * 169.254.169.254; fe80::/10), unique-local (fc00::/7), CGNAT (100.64/10), multicast, reserved,
 * benchmarking, NAT64/6to4/Teredo (which embed IPv4) and IPv4-mapped forms of any of these are not.
 */
export function classifyAddress(address: string): AddressClass {
  if (!ipaddr.isValid(address)) return { address, range: 'invalid', isPublic: false };
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  const isPublic =
    range === 'unicast' &&
    (parsed.kind() === 'ipv4' ||
      (parsed instanceof ipaddr.IPv6 && parsed.match(GLOBAL_UNICAST_V6)));
  return { address: parsed.toString(), range, isPublic };
}
