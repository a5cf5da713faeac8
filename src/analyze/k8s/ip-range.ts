/**
 * IPv4 address ranges as integer intervals. Kubernetes ipBlocks and AdminNetworkPolicy
 * networks name CIDRs; connlist reports external peers as the disjoint ranges those
 * CIDRs cut the address space into. IPv6 peers are not analysed (see README).
 */

/** An inclusive IPv4 interval, addresses as unsigned 32-bit integers. */
export interface IpRange {
  readonly first: number;
  readonly last: number;
}

/** Sorted, disjoint IPv4 intervals. */
export type IpSet = readonly IpRange[];

export const IPV4_MAX = 0xffffffff;
export const ALL_IPV4: IpSet = [{ first: 0, last: IPV4_MAX }];

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** The result of reading a CIDR: an IPv4 range, an IPv6 prefix (not analysed), or an error. */
export type CidrResult =
  | { readonly kind: 'ipv4'; readonly range: IpRange }
  | { readonly kind: 'ipv6' }
  | { readonly kind: 'error'; readonly reason: string };

/** Reads `a.b.c.d/len` (a bare address counts as /32); IPv6 is recognised but not analysed. */
export function parseCidr(text: string): CidrResult {
  const [addr = '', lenText, ...rest] = text.trim().split('/');
  if (addr.includes(':')) return { kind: 'ipv6' };
  const base = parseIpv4(addr);
  if (base === undefined || rest.length > 0) {
    return { kind: 'error', reason: 'it is not an IPv4 or IPv6 CIDR such as 10.0.0.0/8' };
  }
  const len = lenText === undefined ? 32 : Number(lenText);
  if (!/^\d{1,2}$/.test(lenText ?? '32') || len > 32) {
    return { kind: 'error', reason: 'the prefix length must be 0 to 32' };
  }
  const size = 2 ** (32 - len);
  const first = Math.floor(base / size) * size;
  return { kind: 'ipv4', range: { first, last: first + size - 1 } };
}

function normalize(list: IpRange[]): IpRange[] {
  const sorted = [...list].sort((a, b) => a.first - b.first);
  const out: IpRange[] = [];
  for (const cur of sorted) {
    const prev = out.at(-1);
    if (prev && cur.first <= prev.last + 1) {
      out[out.length - 1] = { first: prev.first, last: Math.max(prev.last, cur.last) };
    } else {
      out.push(cur);
    }
  }
  return out;
}

/** The set of addresses in `ranges` that are in none of `except`. */
export function ipSetOf(ranges: readonly IpRange[], except: readonly IpRange[] = []): IpSet {
  let rest = normalize([...ranges]);
  for (const hole of except) {
    const next: IpRange[] = [];
    for (const r of rest) {
      if (hole.last < r.first || hole.first > r.last) {
        next.push(r);
        continue;
      }
      if (r.first < hole.first) next.push({ first: r.first, last: hole.first - 1 });
      if (r.last > hole.last) next.push({ first: hole.last + 1, last: r.last });
    }
    rest = next;
  }
  return rest;
}

/** Whether a set holds every address of a range. */
export function containsRange(set: IpSet, range: IpRange): boolean {
  return set.some((r) => r.first <= range.first && range.last <= r.last);
}

/**
 * Cuts the whole IPv4 space at every edge of the given sets: each returned range lies
 * wholly inside or wholly outside each set, so one answer holds for all its addresses.
 */
export function disjointRanges(sets: readonly IpSet[]): IpRange[] {
  if (sets.length === 0) return [];
  const starts = new Set<number>([0]);
  for (const set of sets) {
    for (const r of set) {
      starts.add(r.first);
      if (r.last < IPV4_MAX) starts.add(r.last + 1);
    }
  }
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((first, i) => ({ first, last: (sorted[i + 1] ?? IPV4_MAX + 1) - 1 }));
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `first-last` in dotted quads, as connlist names an external peer. */
export function formatIpRange(range: IpRange): string {
  return `${formatIpv4(range.first)}-${formatIpv4(range.last)}`;
}
