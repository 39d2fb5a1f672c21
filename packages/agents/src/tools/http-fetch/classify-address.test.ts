import { describe, expect, it } from 'vitest';
import { classifyAddress } from './classify-address';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.216.34'],
    ['2606:4700:4700::1111'],
    ['2a00:1450:4001:80b::200e'],
  ])('allows the public address %s', (address) => {
    expect(classifyAddress(address).isPublic).toBe(true);
  });

  it.each([
    // IPv4 private, loopback, link-local, metadata, CGNAT, special.
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['169.254.0.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    // IPv6 loopback, link-local, unique-local (incl. the AWS metadata address), special.
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052'],
    ['2002:a9fe:a9fe::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
  ])('refuses %s (%s)', (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ range, isPublic: false });
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', '169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', '10.0.0.1', 'private'],
  ])('sees through the IPv4-mapped IPv6 address %s', (address, canonical, range) => {
    expect(classifyAddress(address)).toEqual({ address: canonical, range, isPublic: false });
  });

  it('refuses IPv4-compatible IPv6 (::/96) even though it looks like unicast', () => {
    expect(classifyAddress('::7f00:1').isPublic).toBe(false);
    expect(classifyAddress('::127.0.0.1').isPublic).toBe(false);
  });

  it('refuses what is not an IP address', () => {
    expect(classifyAddress('localhost')).toMatchObject({ range: 'invalid', isPublic: false });
    expect(classifyAddress('')).toMatchObject({ isPublic: false });
  });
});
