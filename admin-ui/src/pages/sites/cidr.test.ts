import { describe, expect, it } from 'vitest';
import { cidrErrors, parseCidr } from './cidr';

describe('CIDR ranges as the site form checks them', () => {
  it('accepts IPv4 and IPv6 networks with zero host bits', () => {
    expect(cidrErrors(['10.1.0.0/16', '2001:db8:1::/48', '192.168.7.0/24'])).toEqual([]);
    expect(typeof parseCidr('0.0.0.0/0')).toBe('object');
    expect(typeof parseCidr('fe80::/10')).toBe('object');
  });

  it('suggests the network when host bits are set', () => {
    expect(parseCidr('10.1.2.0/16')).toBe('"10.1.2.0/16" has host bits set; did you mean 10.1.0.0/16?');
  });

  it('refuses what is not a range', () => {
    expect(parseCidr('10.1.0.0')).toMatch(/no prefix length/);
    expect(parseCidr('10.1.0.0/33')).toMatch(/prefix length must be 0 to 32/);
    expect(parseCidr('2001:db8::/129')).toMatch(/0 to 128/);
    expect(parseCidr('office.example.com/24')).toMatch(/not an IPv4 or IPv6 network/);
    expect(parseCidr('10.1.0.256/32')).toMatch(/not an IPv4 or IPv6 network/);
    expect(parseCidr('2001:db8::1::/64')).toMatch(/not an IPv4 or IPv6 network/);
    expect(parseCidr('::ffff:10.0.0.0/104')).toMatch(/IPv4/);
  });

  it('names ranges of the same site that overlap, whichever comes first', () => {
    expect(cidrErrors(['10.0.0.0/8', '10.1.0.0/16'])).toEqual(['"10.1.0.0/16" overlaps "10.0.0.0/8"']);
    expect(cidrErrors(['10.1.0.0/16', '10.0.0.0/8'])).toEqual(['"10.0.0.0/8" overlaps "10.1.0.0/16"']);
    expect(cidrErrors(['10.1.0.0/16', '10.2.0.0/16', '2001:db8::/32'])).toEqual([]);
  });
});
