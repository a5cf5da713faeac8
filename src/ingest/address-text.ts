import type { Address } from '../domain/index.js';

// Address text from packet and record bytes, shared by the pcap and NetFlow decoders. The
// output is canonical (what parseAddress gives), so flows from every reader compare equal.

/** Formats the 4 bytes at `offset` as a dotted quad. */
export function formatIpv4(bytes: Uint8Array, offset: number): Address {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}` as Address;
}

/** Interned IPv4 texts; flows repeat the same few thousand addresses. */
const V4_CACHE = new Map<number, Address>();
const V4_CACHE_LIMIT = 65_536;

/** The dotted-quad text of an IPv4 address given as an unsigned 32-bit number. */
export function ipv4Text(value: number): Address {
  const cached = V4_CACHE.get(value);
  if (cached !== undefined) return cached;

  const text =
    `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}` as Address;
  if (V4_CACHE.size >= V4_CACHE_LIMIT) V4_CACHE.clear();
  V4_CACHE.set(value, text);
  return text;
}

/**
 * The RFC 5952 text of the 16-byte IPv6 address at `offset`: lowercase hex, no leading
 * zeros, the longest run of two or more zero groups (the first one on a tie) as `::`.
 */
export function ipv6Text(bytes: Uint8Array, offset: number): Address {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++)
    groups.push((bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!);

  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }

  const hex = (list: number[]): string => list.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups) as Address;
  const head = hex(groups.slice(0, bestStart));
  const tail = hex(groups.slice(bestStart + bestLength));
  return `${head}::${tail}` as Address;
}
