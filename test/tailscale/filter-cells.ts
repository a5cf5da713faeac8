/**
 * Normalises packet-filter rules so two filters that allow the same packets compare equal,
 * however they split, order or repeat their entries: every rule is a box (protocol ×
 * source range × destination range × port range); both filters are cut along the union of
 * their box edges and compared cell by cell.
 */
import { formatRange, parseFilterAddress } from '../../src/policy/tailscale/ip-range.js';
import type { IpRange } from '../../src/policy/tailscale/ip-range.js';

/** A packet-filter rule as captured from Tailscale or compiled by Bulkhead. */
export interface FilterRuleLike {
  readonly SrcIPs: readonly string[];
  readonly DstPorts: readonly {
    readonly IP: string;
    readonly Ports: { readonly First: number; readonly Last: number };
  }[];
  readonly IPProto?: readonly number[];
}

/** TCP, UDP, ICMP, ICMPv6: what a rule without IPProto allows. */
const DEFAULT_PROTOCOLS = [6, 17, 1, 58];

interface Box {
  readonly protocol: number;
  readonly src: IpRange;
  readonly dst: IpRange;
  readonly first: number;
  readonly last: number;
}

/** IPv4 and IPv6 on one number line: IPv6 below 2^128, IPv4 above it. */
function line(range: IpRange): [bigint, bigint] {
  const offset = range.family === 4 ? 1n << 128n : 0n;
  return [range.first + offset, range.last + offset];
}

function fromLine(first: bigint, last: bigint): string {
  const v4 = first >= 1n << 128n;
  const offset = v4 ? 1n << 128n : 0n;
  return formatRange({ family: v4 ? 4 : 6, first: first - offset, last: last - offset });
}

function boxes(rules: readonly FilterRuleLike[]): Box[] {
  const out: Box[] = [];
  for (const rule of rules) {
    const protocols =
      rule.IPProto === undefined || rule.IPProto.length === 0 ? DEFAULT_PROTOCOLS : rule.IPProto;
    const sources = rule.SrcIPs.flatMap(parseFilterAddress);
    for (const dst of rule.DstPorts) {
      for (const dstRange of parseFilterAddress(dst.IP)) {
        for (const protocol of protocols) {
          // Only TCP, UDP and SCTP carry ports; for any other protocol the ports do not
          // restrict which packets match.
          const ported = protocol === 6 || protocol === 17 || protocol === 132;
          for (const src of sources) {
            out.push({
              protocol,
              src,
              dst: dstRange,
              first: ported ? dst.Ports.First : 0,
              last: ported ? dst.Ports.Last : 65535,
            });
          }
        }
      }
    }
  }
  return out;
}

function cuts(values: bigint[]): bigint[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function spans(edges: readonly bigint[], first: bigint, last: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < edges.length - 1; i++) {
    const start = edges[i]!;
    if (start >= first && start <= last) out.push(i);
  }
  return out;
}

/**
 * The first packet class one filter allows and the other does not, in words, or undefined
 * when both allow exactly the same (protocol, source, destination, port) tuples.
 */
export function firstDifference(
  want: readonly FilterRuleLike[],
  got: readonly FilterRuleLike[],
): string | undefined {
  const wantBoxes = boxes(want);
  const gotBoxes = boxes(got);
  const all = [...wantBoxes, ...gotBoxes];
  const srcEdges = cuts(
    all.flatMap((b) => {
      const [f, l] = line(b.src);
      return [f, l + 1n];
    }),
  );
  const dstEdges = cuts(
    all.flatMap((b) => {
      const [f, l] = line(b.dst);
      return [f, l + 1n];
    }),
  );
  const portEdges = cuts(all.flatMap((b) => [BigInt(b.first), BigInt(b.last) + 1n]));

  const cells = (list: Box[]): Set<string> => {
    const set = new Set<string>();
    for (const box of list) {
      const [sf, sl] = line(box.src);
      const [df, dl] = line(box.dst);
      for (const s of spans(srcEdges, sf, sl)) {
        for (const d of spans(dstEdges, df, dl)) {
          for (const p of spans(portEdges, BigInt(box.first), BigInt(box.last))) {
            set.add(`${box.protocol}|${s}|${d}|${p}`);
          }
        }
      }
    }
    return set;
  };
  const wantCells = cells(wantBoxes);
  const gotCells = cells(gotBoxes);
  const describe = (key: string): string => {
    const [protocol, s, d, p] = key.split('|').map(Number) as [number, number, number, number];
    const src = fromLine(srcEdges[s]!, srcEdges[s + 1]! - 1n);
    const dst = fromLine(dstEdges[d]!, dstEdges[d + 1]! - 1n);
    const ports = `${portEdges[p]!}-${portEdges[p + 1]! - 1n}`;
    return `proto ${protocol} ${src} -> ${dst} ports ${ports}`;
  };
  for (const key of [...wantCells].sort()) {
    if (!gotCells.has(key)) return `Tailscale allows, Bulkhead does not: ${describe(key)}`;
  }
  for (const key of [...gotCells].sort()) {
    if (!wantCells.has(key)) return `Bulkhead allows, Tailscale does not: ${describe(key)}`;
  }
  return undefined;
}
