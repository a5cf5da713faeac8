/**
 * IPv4 address sets written back as CIDRs, for Bulkhead networks. An ipBlock is read
 * into disjoint ranges; a network is written either as those ranges' CIDRs or as the
 * smallest prefix around them with the rest as `except`, whichever is shorter, so
 * `0.0.0.0/0 except 10.0.0.0/8` comes back as written.
 */
import type { IpRange, IpSet } from './ip-range.js';
import { IPV4_MAX, ipSetOf } from './ip-range.js';

/** A network as a policy file writes it. */
export interface CidrNetwork {
  readonly cidrs: readonly string[];
  readonly except: readonly string[];
}

function formatCidr(first: number, size: number): string {
  const quad = [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join('.');
  return `${quad}/${32 - Math.log2(size)}`;
}

/** The fewest CIDRs that cover exactly one range. */
function rangeCidrs(range: IpRange): string[] {
  const out: string[] = [];
  let first = range.first;
  while (first <= range.last) {
    let size = 1;
    while (first % (size * 2) === 0 && first + size * 2 - 1 <= range.last && size < 2 ** 32) {
      size *= 2;
    }
    out.push(formatCidr(first, size));
    first += size;
  }
  return out;
}

function hullPrefix(set: IpSet): IpRange {
  const first = set[0]?.first ?? 0;
  const last = set.at(-1)?.last ?? IPV4_MAX;
  let size = 1;
  while (Math.floor(first / size) !== Math.floor(last / size)) size *= 2;
  const start = Math.floor(first / size) * size;
  return { first: start, last: start + size - 1 };
}

/** A non-empty IPv4 set as CIDRs with exceptions. */
export function cidrNetwork(set: IpSet): CidrNetwork {
  const direct = set.flatMap(rangeCidrs);
  const hull = hullPrefix(set);
  const holes = ipSetOf([hull], set).flatMap(rangeCidrs);
  const viaHull = { cidrs: rangeCidrs(hull), except: holes };
  return 1 + holes.length < direct.length ? viaHull : { cidrs: direct, except: [] };
}
