import ipaddr from 'ipaddr.js';

import { parseCidr, tryParseAddress } from '../../domain/index.js';
import type { Address, Cidr, Family } from '../../domain/index.js';

/** An inclusive range of addresses of one family, as integers. */
export interface IpRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** Every address of a family. */
export function familyRange(family: Family): IpRange {
  return { family, first: 0n, last: (1n << BigInt(BITS[family])) - 1n };
}

function toBigInt(address: Address): bigint {
  let out = 0n;
  for (const byte of ipaddr.parse(address).toByteArray()) out = (out << 8n) | BigInt(byte);
  return out;
}

function familyOf(address: Address | Cidr): Family {
  return address.includes(':') ? 6 : 4;
}

/** The addresses a prefix covers. */
export function cidrRange(cidr: Cidr): IpRange {
  const slash = cidr.indexOf('/');
  const address = cidr.slice(0, slash) as Address;
  const length = Number(cidr.slice(slash + 1));
  const family = familyOf(address);
  const hostBits = BigInt(BITS[family] - length);
  const first = toBigInt(address);
  return { family, first, last: first + (1n << hostBits) - 1n };
}

/** The one-address range of an address. */
export function addressRange(address: Address): IpRange {
  const value = toBigInt(address);
  return { family: familyOf(address), first: value, last: value };
}

function fromBigInt(family: Family, value: bigint): string {
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < BITS[family] / 8; i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return family === 4 ? bytes.join('.') : ipaddr.fromByteArray(bytes).toString();
}

/** Sorts ranges and merges those that overlap or touch. */
export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) =>
    a.family !== b.family
      ? a.family - b.family
      : a.first < b.first
        ? -1
        : a.first > b.first
          ? 1
          : 0,
  );
  const out: IpRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last?.family === range.family && range.first <= last.last + 1n) {
      if (range.last > last.last) out[out.length - 1] = { ...last, last: range.last };
    } else {
      out.push(range);
    }
  }
  return out;
}

/** The addresses of `ranges` that lie in none of `minus`. */
export function subtractRanges(ranges: readonly IpRange[], minus: readonly IpRange[]): IpRange[] {
  let current = mergeRanges(ranges);
  for (const cut of mergeRanges(minus)) {
    const next: IpRange[] = [];
    for (const range of current) {
      if (range.family !== cut.family || cut.last < range.first || cut.first > range.last) {
        next.push(range);
        continue;
      }
      if (cut.first > range.first) next.push({ ...range, last: cut.first - 1n });
      if (cut.last < range.last) next.push({ ...range, first: cut.last + 1n });
    }
    current = next;
  }
  return current;
}

/** Whether two ranges share an address. */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/**
 * The fewest prefixes that cover exactly the given ranges, in address order, IPv4 first.
 * A host prefix is written as the bare address, the way Tailscale's packet filter writes it.
 */
export function rangesToPrefixes(ranges: readonly IpRange[]): string[] {
  const out: string[] = [];
  for (const range of mergeRanges(ranges)) {
    const bits = BITS[range.family];
    let first = range.first;
    while (first <= range.last) {
      // The largest aligned block that starts at `first` and ends inside the range.
      let size = 0;
      while (
        size < bits &&
        (first & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
        first + (1n << BigInt(size + 1)) - 1n <= range.last
      ) {
        size += 1;
      }
      const text = fromBigInt(range.family, first);
      out.push(size === 0 ? text : `${text}/${bits - size}`);
      first += 1n << BigInt(size);
    }
  }
  return out;
}

/**
 * Parses an address as Tailscale's packet filter writes it: `*` (every address of both
 * families), `a.b.c.d`, a prefix `a.b.c.d/n`, or a range `first-last`.
 *
 * @throws RangeError naming the value when it is none of these.
 */
export function parseFilterAddress(text: string): IpRange[] {
  if (text === '*') return [familyRange(4), familyRange(6)];
  const dash = text.indexOf('-');
  if (dash > 0) {
    const first = tryParseAddress(text.slice(0, dash));
    const last = tryParseAddress(text.slice(dash + 1));
    if (first === undefined || last === undefined || familyOf(first) !== familyOf(last)) {
      throw new RangeError(`"${text}" is not an address range: write FIRST-LAST of one family`);
    }
    return [{ family: familyOf(first), first: toBigInt(first), last: toBigInt(last) }];
  }
  return [cidrRange(parseCidr(text))];
}

/** Writes a range for messages: one address, or `first-last`. */
export function formatRange(range: IpRange): string {
  const first = fromBigInt(range.family, range.first);
  return range.first === range.last ? first : `${first}-${fromBigInt(range.family, range.last)}`;
}
