import ipaddr from 'ipaddr.js';

import { addressFamily, invariant, parseAddress } from '../domain/index.js';
import type { Address, Cidr, Family } from '../domain/index.js';

/** An inclusive range of addresses of one family, `first` ≤ `last`, as canonical text. */
export interface AddressRange {
  readonly first: Address;
  readonly last: Address;
}

/**
 * Addresses of both families as sorted, merged, non-overlapping ranges. Two ranges that
 * touch (`…0.255` and `…1.0`) are merged too, so equal sets have equal values.
 */
export interface AddressSet {
  readonly v4: readonly AddressRange[];
  readonly v6: readonly AddressRange[];
}

/** An inclusive interval of integers (addresses as numbers), `first` ≤ `last`. */
export interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

/** The same set as {@link AddressSet}, as numbers, for set algebra. */
export interface IntervalSet {
  readonly v4: readonly Interval[];
  readonly v6: readonly Interval[];
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** The largest address of a family as a number. */
export function maxAddress(family: Family): bigint {
  return (1n << BigInt(BITS[family])) - 1n;
}

/** An address as a number (IPv4: 32 bits, IPv6: 128 bits). */
export function addressToBigInt(address: Address): bigint {
  let value = 0n;
  for (const byte of ipaddr.parse(address).toByteArray()) value = (value << 8n) | BigInt(byte);
  return value;
}

/** The canonical address of a number in a family. */
export function bigIntToAddress(value: bigint, family: Family): Address {
  invariant(value >= 0n && value <= maxAddress(family), `address ${value} out of range`);
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < BITS[family] / 8; i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return parseAddress(ipaddr.fromByteArray(bytes).toString());
}

/** The addresses a prefix covers, as one interval of its family. */
export function cidrToInterval(cidr: Cidr): {
  readonly family: Family;
  readonly interval: Interval;
} {
  const slash = cidr.indexOf('/');
  const family = addressFamily(cidr);
  const base = addressToBigInt(cidr.slice(0, slash) as Address);
  const hostBits = BigInt(BITS[family] - Number(cidr.slice(slash + 1)));
  return { family, interval: { first: base, last: base + (1n << hostBits) - 1n } };
}

/**
 * Sorts intervals and merges the ones that overlap or touch.
 *
 * @throws InternalError when an interval has `first` > `last` (a bug in the caller).
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  for (const interval of intervals) {
    invariant(
      interval.first <= interval.last,
      `reversed interval ${interval.first}-${interval.last}`,
    );
  }

  const sorted = [...intervals].sort((a, b) => compareBigInt(a.first, b.first));
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out.at(-1);
    if (last !== undefined && next.first <= last.last + 1n) {
      out[out.length - 1] = {
        first: last.first,
        last: next.last > last.last ? next.last : last.last,
      };
    } else {
      out.push(next);
    }
  }
  return out;
}

/** The parts of `from` that lie in none of `remove`; the result is merged and sorted. */
export function subtractIntervals(
  from: readonly Interval[],
  remove: readonly Interval[],
): Interval[] {
  const holes = mergeIntervals(remove);
  const out: Interval[] = [];
  for (const piece of mergeIntervals(from)) {
    let first = piece.first;
    for (const hole of holes) {
      if (hole.last < first || hole.first > piece.last) continue;
      if (hole.first > first) out.push({ first, last: hole.first - 1n });
      first = hole.last + 1n;
      if (first > piece.last) break;
    }
    if (first <= piece.last) out.push({ first, last: piece.last });
  }
  return out;
}

/** The empty set of both families. */
export const EMPTY_INTERVAL_SET: IntervalSet = { v4: [], v6: [] };

/** Every address of both families. */
export const FULL_INTERVAL_SET: IntervalSet = {
  v4: [{ first: 0n, last: maxAddress(4) }],
  v6: [{ first: 0n, last: maxAddress(6) }],
};

/** The addresses of `cidrs` minus those of `except`, per family. */
export function prefixesToIntervalSet(
  cidrs: readonly Cidr[],
  except: readonly Cidr[] = [],
): IntervalSet {
  const split = (list: readonly Cidr[], family: Family): Interval[] =>
    list
      .map(cidrToInterval)
      .filter((entry) => entry.family === family)
      .map((entry) => entry.interval);
  return {
    v4: subtractIntervals(split(cidrs, 4), split(except, 4)),
    v6: subtractIntervals(split(cidrs, 6), split(except, 6)),
  };
}

/** The host interval of each address, per family. */
export function addressesToIntervalSet(addresses: readonly Address[]): IntervalSet {
  const hosts = (family: Family): Interval[] =>
    addresses
      .filter((address) => addressFamily(address) === family)
      .map((address) => {
        const value = addressToBigInt(address);
        return { first: value, last: value };
      });
  return { v4: mergeIntervals(hosts(4)), v6: mergeIntervals(hosts(6)) };
}

/** The union of interval sets, merged. */
export function unionIntervalSets(sets: readonly IntervalSet[]): IntervalSet {
  return {
    v4: mergeIntervals(sets.flatMap((set) => set.v4)),
    v6: mergeIntervals(sets.flatMap((set) => set.v6)),
  };
}

/** An interval set as canonical address ranges. */
export function toAddressSet(set: IntervalSet): AddressSet {
  const ranges = (list: readonly Interval[], family: Family): AddressRange[] =>
    mergeIntervals(list).map((interval) => ({
      first: bigIntToAddress(interval.first, family),
      last: bigIntToAddress(interval.last, family),
    }));
  return { v4: ranges(set.v4, 4), v6: ranges(set.v6, 6) };
}

/** Whether an address lies in one of the ranges of an address set. */
export function addressSetContains(set: AddressSet, address: Address): boolean {
  const ranges = addressFamily(address) === 4 ? set.v4 : set.v6;
  const value = addressToBigInt(address);
  return ranges.some(
    (range) => addressToBigInt(range.first) <= value && value <= addressToBigInt(range.last),
  );
}

/**
 * The shortest text for a range: one address, one prefix (`198.18.0.0/24`) when the range is
 * exactly a prefix, otherwise `first-last`. Backends that take prefixes and ranges use it.
 */
export function formatAddressRange(range: AddressRange): string {
  if (range.first === range.last) return range.first;

  const family = addressFamily(range.first);
  const first = addressToBigInt(range.first);
  const size = addressToBigInt(range.last) - first + 1n;
  const hostBits = bitLength(size) - 1;
  const isPrefix = size === 1n << BigInt(hostBits) && (first & (size - 1n)) === 0n;
  return isPrefix ? `${range.first}/${BITS[family] - hostBits}` : `${range.first}-${range.last}`;
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
