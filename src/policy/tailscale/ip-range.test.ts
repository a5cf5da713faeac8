import { describe, expect, it } from 'vitest';

import { parseFilterAddress, rangesToPrefixes, subtractRanges } from './ip-range.js';

describe('parseFilterAddress()', () => {
  it.each([
    { name: 'empty', input: '' },
    { name: 'empty octet', input: '1.2..3' },
    { name: 'hex', input: '0x1.2.3.4' },
    { name: 'prefix /33', input: '10.0.0.0/33' },
    { name: 'prefix /129', input: 'fd7a::/129' },
    { name: 'host bits', input: '10.0.0.1/8' },
    { name: 'mixed-family range', input: '10.0.0.1-fd7a::1' },
    { name: 'range with a bad end', input: '10.0.0.1-10.0.0' },
  ])('parseFilterAddress() rejects $name', ({ input }) => {
    expect(() => parseFilterAddress(input)).toThrow(RangeError);
  });

  it.each([
    { name: 'star', input: '*', want: ['0.0.0.0/0', '::/0'] },
    { name: 'address', input: '100.64.0.1', want: ['100.64.0.1'] },
    { name: 'prefix', input: '10.33.0.0/16', want: ['10.33.0.0/16'] },
    {
      name: 'range',
      input: '100.64.0.0-100.115.91.255',
      want: [
        '100.64.0.0/11',
        '100.96.0.0/12',
        '100.112.0.0/15',
        '100.114.0.0/16',
        '100.115.0.0/18',
        '100.115.64.0/20',
        '100.115.80.0/21',
        '100.115.88.0/22',
      ],
    },
    { name: 'IPv6 prefix', input: 'fd7a:115c:a1e0::/48', want: ['fd7a:115c:a1e0::/48'] },
  ])('parseFilterAddress() reads $name as canonical prefixes', ({ input, want }) => {
    expect(rangesToPrefixes(parseFilterAddress(input))).toEqual(want);
  });
});

describe('subtractRanges()', () => {
  it('subtractRanges() cuts a hole and keeps both sides', () => {
    const cut = subtractRanges(
      parseFilterAddress('100.64.0.0/10'),
      parseFilterAddress('100.115.92.0/23'),
    );
    expect(rangesToPrefixes(cut)).toEqual(
      rangesToPrefixes([
        ...parseFilterAddress('100.64.0.0-100.115.91.255'),
        ...parseFilterAddress('100.115.94.0-100.127.255.255'),
      ]),
    );
  });

  it('subtractRanges() leaves the other family alone', () => {
    expect(
      rangesToPrefixes(subtractRanges(parseFilterAddress('::/0'), parseFilterAddress('0.0.0.0/0'))),
    ).toEqual(['::/0']);
  });
});
