import { describe, expect, it } from 'vitest';
import { passwordSubjects, secondFactorSubjects, toThrottleIp } from './throttle-subjects';

describe('toThrottleIp', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(toThrottleIp('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const expected = '2001:db8:0:1::/64';
    expect(toThrottleIp('2001:db8:0:1::7')).toBe(expected);
    expect(toThrottleIp('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe(expected);
    expect(toThrottleIp('2001:db8:0:1:ffff::1%eth0')).toBe(expected);
    expect(toThrottleIp('2001:db8:0:2::7')).not.toBe(expected);
    expect(toThrottleIp('::1')).toBe('0:0:0:0::/64');
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(toThrottleIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(toThrottleIp('::ffff:cb00:7107')).toBe('203.0.113.7');
  });
});

describe('throttle subjects', () => {
  it('counts an address however it is typed, and never stores it in clear', () => {
    const [lower] = passwordSubjects({ email: 'ada@example.com' });
    const [upper] = passwordSubjects({ email: ' ADA@Example.com ' });
    expect(upper).toEqual(lower);
    expect(lower?.key).not.toContain('ada');
  });

  it('adds the IP subject only for a valid address', () => {
    expect(passwordSubjects({ email: 'a@example.com', ip: '198.51.100.1' })).toEqual([
      expect.objectContaining({ scope: 'account' }),
      { scope: 'ip', key: 'ip:198.51.100.1' },
    ]);
    expect(secondFactorSubjects({ userId: 'u1', ip: 'not an ip' })).toEqual([
      { scope: 'account', key: 'second-factor:u1' },
    ]);
  });

  it('shares one IP subject between passwords and codes', () => {
    const password = passwordSubjects({ email: 'a@example.com', ip: '198.51.100.1' });
    const code = secondFactorSubjects({ userId: 'u1', ip: '198.51.100.1' });
    expect(password[1]).toEqual(code[1]);
  });
});
