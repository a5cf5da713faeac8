import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../domain/index.js';
import { formatIpv4, ipv6Text } from '../address-text.js';
import { addressBytesForTest } from './capture-for-test.js';

describe('ipv6Text()', () => {
  it.each([
    '::',
    '::1',
    '1::',
    '2001:db8::1',
    '2001:db8:0:1:0:0:0:1',
    '2001:0:0:1:0:0:0:1',
    '1:0:0:2:0:0:0:3',
    '2001:db8:1:2:3:4:5:6',
    '2001:db8:0:2:3:4:5:6',
    'fe80::c801:eff:fe88:8',
    'ff02::1:2',
  ])('writes %s as parseAddress() does (RFC 5952)', (text) => {
    const bytes = Uint8Array.from(addressBytesForTest(text));
    expect(ipv6Text(bytes, 0)).toBe(parseAddress(text));
  });
});

describe('formatIpv4()', () => {
  it('writes a dotted quad', () => {
    expect(formatIpv4(Uint8Array.from([0, 198, 18, 0, 255]), 1)).toBe('198.18.0.255');
  });
});
