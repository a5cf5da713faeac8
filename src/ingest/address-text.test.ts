import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';

import { ipv4Text, ipv6Text } from './address-text.js';

describe('address texts', () => {
  it.each([
    { bytes: '00000000000000000000000000000000', want: '::' },
    { bytes: '00000000000000000000000000000001', want: '::1' },
    { bytes: '20010db8000000000000000000000001', want: '2001:db8::1' },
    { bytes: '20010db8000000010000000000000001', want: '2001:db8:0:1::1' },
    { bytes: '20010db8000000000001000000000000', want: '2001:db8:0:0:1::' },
    { bytes: '20010db8000100010001000100010001', want: '2001:db8:1:1:1:1:1:1' },
  ])('ipv6Text() writes $want', ({ bytes, want }) => {
    expect(ipv6Text(Uint8Array.from(Buffer.from(bytes, 'hex')), 0)).toBe(want);
  });

  it('ipv6Text() agrees with ipaddr.js RFC 5952 output', () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const bytes = Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 255]));
        expect(ipv6Text(bytes, 0)).toBe(
          (ipaddr.fromByteArray([...bytes]) as ipaddr.IPv6).toRFC5952String(),
        );
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('ipv4Text() writes dotted quads', () => {
    expect(ipv4Text(0xc6120001)).toBe('198.18.0.1');
    expect(ipv4Text(0)).toBe('0.0.0.0');
    expect(ipv4Text(0xffffffff)).toBe('255.255.255.255');
  });
});
