import { addressFamily } from '../../domain/index.js';
import type { Family } from '../../domain/index.js';
import { addressToBigInt, bigIntToAddress, maxAddress } from '../interval.js';
import type { AddressRange, AddressSet } from '../interval.js';

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/**
 * The fewest prefixes that cover an address range exactly, in address order. Targets that
 * take only prefixes (ipset `hash:net`, Kubernetes `ipBlock`, security groups) use it.
 *
 * @example
 * ```ts
 * rangeToPrefixes({ first: '198.18.0.1', last: '198.18.0.6' });
 * // ['198.18.0.1/32', '198.18.0.2/31', '198.18.0.4/31', '198.18.0.6/32']
 * ```
 */
export function rangeToPrefixes(range: AddressRange): string[] {
  const family = addressFamily(range.first);
  const bits = BITS[family];
  const last = addressToBigInt(range.last);
  const out: string[] = [];
  let first = addressToBigInt(range.first);
  while (first <= last) {
    // The largest block that starts at `first` (aligned) and ends at or before `last`.
    let size = 0;
    while (
      size < bits &&
      (first & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      first + (1n << BigInt(size + 1)) - 1n <= last
    ) {
      size += 1;
    }
    out.push(`${bigIntToAddress(first, family)}/${bits - size}`);
    first += 1n << BigInt(size);
    if (first > maxAddress(family)) break;
  }
  return out;
}

/** Every range of one family of an address set as prefixes. */
export function addressSetPrefixes(set: AddressSet, family: Family): string[] {
  return (family === 4 ? set.v4 : set.v6).flatMap(rangeToPrefixes);
}

/**
 * Prefixes without `/0`: ipset `hash:net` and some cloud APIs refuse a zero-length prefix,
 * so the whole space becomes its two halves (`0.0.0.0/1`, `128.0.0.0/1`).
 */
export function withoutZeroPrefix(prefixes: readonly string[]): string[] {
  return prefixes.flatMap((prefix) => {
    if (prefix === '0.0.0.0/0') return ['0.0.0.0/1', '128.0.0.0/1'];
    if (prefix === '::/0') return ['::/1', '8000::/1'];
    return [prefix];
  });
}
