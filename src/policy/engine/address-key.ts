import ipaddr from 'ipaddr.js';

import type { Cidr } from '../../domain/index.js';

/**
 * An address as a number on its family's line: IPv4 fits a double exactly (32 bits), IPv6
 * needs 128 bits and so a bigint. Keeping the families apart keeps IPv4 lookups off bigint.
 */
export type AddressKey =
  { readonly family: 4; readonly key: number } | { readonly family: 6; readonly key: bigint };

/** An inclusive range of keys on one family's line. */
export interface KeyRange<K extends number | bigint> {
  readonly lo: K;
  readonly hi: K;
}

/** The largest IPv4 key, 2^32 − 1. */
export const V4_MAX = 0xffffffff;

/** The largest IPv6 key, 2^128 − 1. */
export const V6_MAX = (1n << 128n) - 1n;

/**
 * The key of an address, or undefined when the text is not an address. Lenient like the
 * `ipaddr.js` parse that `cidrContains` uses, so both read the same inputs the same way.
 */
export function addressKey(text: string): AddressKey | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return undefined;
  }

  const bytes = parsed.toByteArray();
  if (!text.includes(':') && bytes.length === 4) {
    return { family: 4, key: bytes.reduce((sum, byte) => sum * 256 + byte, 0) };
  }
  if (bytes.length !== 16) return undefined;
  return { family: 6, key: bytes.reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n) };
}

/** The range of keys a prefix covers, with its family. */
export function prefixRange(
  cidr: Cidr,
):
  | { readonly family: 4; readonly range: KeyRange<number> }
  | { readonly family: 6; readonly range: KeyRange<bigint> } {
  const [base, length] = ipaddr.parseCIDR(cidr);
  const bytes = base.toByteArray();
  if (bytes.length === 4) {
    const lo = bytes.reduce((sum, byte) => sum * 256 + byte, 0);
    const size = 2 ** (32 - length);
    const start = lo - (lo % size);
    return { family: 4, range: { lo: start, hi: start + size - 1 } };
  }
  const lo = bytes.reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
  const size = 1n << BigInt(128 - length);
  const start = lo - (lo % size);
  return { family: 6, range: { lo: start, hi: start + size - 1n } };
}

/** The text of an IPv4 or IPv6 key, in canonical form. */
export function keyText(family: 4 | 6, key: number | bigint): string {
  if (family === 4) {
    const value = Number(key);
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
  }
  const bytes: number[] = [];
  let rest = BigInt(key);
  for (let index = 0; index < 16; index++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return ipaddr.IPv6.parse(ipaddr.fromByteArray(bytes).toString()).toRFC5952String();
}
