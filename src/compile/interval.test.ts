import { describe, expect, it } from 'vitest';

import { InternalError, parseAddress, parseCidr } from '../domain/index.js';
import {
  addressSetContains,
  cidrToInterval,
  formatAddressRange,
  mergeIntervals,
  prefixesToIntervalSet,
  subtractIntervals,
  toAddressSet,
} from './interval.js';
import type { AddressSet, Interval } from './interval.js';

const iv = (first: number, last: number): Interval => ({
  first: BigInt(first),
  last: BigInt(last),
});

/** The ranges of a prefix list as text, to keep expectations readable. */
function ranges(cidrs: string[], except: string[] = []): { v4: string[]; v6: string[] } {
  const set: AddressSet = toAddressSet(
    prefixesToIntervalSet(cidrs.map(parseCidr), except.map(parseCidr)),
  );
  return { v4: set.v4.map(formatAddressRange), v6: set.v6.map(formatAddressRange) };
}

describe('mergeIntervals()', () => {
  it.each([
    { name: 'empty', input: [], want: [] },
    { name: 'single', input: [iv(5, 5)], want: [iv(5, 5)] },
    { name: 'unsorted disjoint', input: [iv(10, 12), iv(1, 2)], want: [iv(1, 2), iv(10, 12)] },
    { name: 'overlapping', input: [iv(1, 5), iv(3, 8)], want: [iv(1, 8)] },
    { name: 'adjacent', input: [iv(1, 4), iv(5, 8)], want: [iv(1, 8)] },
    { name: 'gap of one', input: [iv(1, 4), iv(6, 8)], want: [iv(1, 4), iv(6, 8)] },
    { name: 'contained', input: [iv(1, 10), iv(2, 3)], want: [iv(1, 10)] },
    { name: 'duplicates', input: [iv(4, 4), iv(4, 4)], want: [iv(4, 4)] },
  ])('$name', ({ input, want }) => {
    expect(mergeIntervals(input)).toEqual(want);
  });

  it('throws an InternalError for a reversed interval', () => {
    expect(() => mergeIntervals([iv(5, 4)])).toThrow(InternalError);
  });
});

describe('subtractIntervals()', () => {
  it.each([
    { name: 'nothing removed', from: [iv(1, 10)], remove: [], want: [iv(1, 10)] },
    {
      name: 'hole in the middle',
      from: [iv(1, 10)],
      remove: [iv(4, 5)],
      want: [iv(1, 3), iv(6, 10)],
    },
    { name: 'cut at the start', from: [iv(1, 10)], remove: [iv(0, 3)], want: [iv(4, 10)] },
    { name: 'cut at the end', from: [iv(1, 10)], remove: [iv(8, 20)], want: [iv(1, 7)] },
    { name: 'everything removed', from: [iv(1, 10)], remove: [iv(1, 10)], want: [] },
    { name: 'remove outside', from: [iv(1, 10)], remove: [iv(20, 30)], want: [iv(1, 10)] },
    {
      name: 'two holes',
      from: [iv(1, 10)],
      remove: [iv(7, 8), iv(2, 3)],
      want: [iv(1, 1), iv(4, 6), iv(9, 10)],
    },
    {
      name: 'hole spans pieces',
      from: [iv(1, 3), iv(5, 9)],
      remove: [iv(2, 6)],
      want: [iv(1, 1), iv(7, 9)],
    },
    { name: 'empty from', from: [], remove: [iv(1, 2)], want: [] },
  ])('$name', ({ from, remove, want }) => {
    expect(subtractIntervals(from, remove)).toEqual(want);
  });
});

describe('prefixesToIntervalSet() and formatAddressRange()', () => {
  it.each([
    { name: 'IPv4 /0', cidrs: ['0.0.0.0/0'], want: { v4: ['0.0.0.0/0'], v6: [] } },
    { name: 'IPv6 /0', cidrs: ['::/0'], want: { v4: [], v6: ['::/0'] } },
    { name: '/32 is one address', cidrs: ['198.18.0.1/32'], want: { v4: ['198.18.0.1'], v6: [] } },
    {
      name: '/128 is one address',
      cidrs: ['2001:db8::1/128'],
      want: { v4: [], v6: ['2001:db8::1'] },
    },
    {
      name: 'adjacent /25s merge into a /24',
      cidrs: ['198.18.0.128/25', '198.18.0.0/25'],
      want: { v4: ['198.18.0.0/24'], v6: [] },
    },
    {
      name: 'adjacent but not aligned stays a range',
      cidrs: ['198.18.0.128/25', '198.18.1.0/25'],
      want: { v4: ['198.18.0.128-198.18.1.127'], v6: [] },
    },
    {
      name: 'overlapping prefixes',
      cidrs: ['198.18.0.0/16', '198.18.4.0/24'],
      want: { v4: ['198.18.0.0/16'], v6: [] },
    },
    {
      name: 'except in the middle',
      cidrs: ['198.18.64.0/20'],
      except: ['198.18.70.0/24'],
      want: { v4: ['198.18.64.0-198.18.69.255', '198.18.71.0-198.18.79.255'], v6: [] },
    },
    {
      name: 'except covers everything',
      cidrs: ['198.18.1.0/24'],
      except: ['198.18.0.0/16'],
      want: { v4: [], v6: [] },
    },
    {
      name: 'except of the other family is ignored',
      cidrs: ['198.18.1.0/24'],
      except: ['2001:db8::/32'],
      want: { v4: ['198.18.1.0/24'], v6: [] },
    },
    {
      name: 'except /32 from /0',
      cidrs: ['0.0.0.0/0'],
      except: ['0.0.0.0/32'],
      want: { v4: ['0.0.0.1-255.255.255.255'], v6: [] },
    },
    {
      name: 'except /128 at the top of ::/0',
      cidrs: ['::/0'],
      except: ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'],
      want: { v4: [], v6: ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'] },
    },
    {
      name: 'both families',
      cidrs: ['2001:db8::/32', '198.18.0.0/15'],
      want: { v4: ['198.18.0.0/15'], v6: ['2001:db8::/32'] },
    },
  ])('$name', ({ cidrs, except, want }) => {
    expect(ranges(cidrs, except)).toEqual(want);
  });

  it.each([
    { name: 'empty octet', text: '1.2..3/24' },
    { name: 'hex', text: '0x1.2.3.4/32' },
    { name: 'exponent', text: '1e2.0.0.1/32' },
    { name: 'three parts', text: '198.18.1/24' },
    { name: '/33', text: '198.18.0.0/33' },
    { name: '/129', text: '2001:db8::/129' },
    { name: 'negative length', text: '198.18.0.0/-1' },
    { name: 'host bits set', text: '198.18.0.1/24' },
    { name: 'empty', text: '' },
    { name: 'whitespace', text: '   ' },
    { name: 'missing length', text: '198.18.0.0/' },
  ])('rejects malformed prefix before it reaches the interval math: $name', ({ text }) => {
    expect(() => cidrToInterval(parseCidr(text))).toThrow(RangeError);
  });
});

describe('addressSetContains()', () => {
  const set = toAddressSet(
    prefixesToIntervalSet(
      [parseCidr('198.18.64.0/20'), parseCidr('2001:db8::/64')],
      [parseCidr('198.18.70.0/24')],
    ),
  );

  it.each([
    { address: '198.18.64.0', want: true },
    { address: '198.18.69.255', want: true },
    { address: '198.18.70.1', want: false },
    { address: '198.18.79.255', want: true },
    { address: '198.18.80.0', want: false },
    { address: '2001:db8::ffff', want: true },
    { address: '2001:db8:0:1::', want: false },
  ])('$address → $want', ({ address, want }) => {
    expect(addressSetContains(set, parseAddress(address))).toBe(want);
  });
});
