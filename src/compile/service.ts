import { hasPorts, isIcmp } from '../domain/index.js';
import type { PortRange, Rule } from '../domain/index.js';

/**
 * What a compiled rule matches above the network layer, in one of four shapes:
 *
 * - `any`: every protocol.
 * - `protocol`: every packet of one protocol (ICMP without a type, GRE, ESP…).
 * - `ports`: TCP, UDP or SCTP to the listed destination ports (merged, sorted); a service
 *   without ports lists 0–65535.
 * - `icmp`: ICMP (1) or ICMPv6 (58) of one type, and one code when `code` is present.
 */
export type PlanService =
  | { readonly kind: 'any' }
  | { readonly kind: 'protocol'; readonly protocol: number }
  | { readonly kind: 'ports'; readonly protocol: number; readonly ports: readonly PortRange[] }
  | {
      readonly kind: 'icmp';
      readonly protocol: number;
      readonly type: number;
      readonly code?: number;
    };

/** Every port, 0 included: a service without ports must not leave port 0 out. */
export const ALL_PORTS: PortRange = { first: 0, last: 65535 };

/** Sorts port ranges and merges the ones that overlap or touch. */
export function mergePortRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: PortRange[] = [];
  for (const next of sorted) {
    const last = out.at(-1);
    if (last !== undefined && next.first <= last.last + 1) {
      out[out.length - 1] = { first: last.first, last: Math.max(last.last, next.last) };
    } else {
      out.push(next);
    }
  }
  return out;
}

/**
 * Normalizes a rule's services: one entry per protocol, ports merged, ICMP entries a wider
 * entry already covers left out, sorted by protocol, so that no two entries overlap. Set
 * backends (nftables interval sets) refuse overlapping elements.
 */
export function planServices(services: Rule['services']): PlanService[] {
  if (services === 'any' || services.some((entry) => entry.protocol === 'any')) {
    return [{ kind: 'any' }];
  }

  const wholeProtocols = new Set<number>();
  const ports = new Map<number, PortRange[]>();
  const icmp = new Map<string, { protocol: number; type: number; code?: number }>();
  for (const entry of services) {
    const protocol = entry.protocol as number;
    if (hasPorts(protocol)) {
      const list = ports.get(protocol) ?? [];
      list.push(...(entry.ports ?? [ALL_PORTS]));
      ports.set(protocol, list);
    } else if (isIcmp(protocol) && entry.icmpType !== undefined) {
      const base = { protocol, type: entry.icmpType };
      const value = entry.icmpCode === undefined ? base : { ...base, code: entry.icmpCode };
      icmp.set(`${protocol}/${entry.icmpType}/${entry.icmpCode ?? '*'}`, value);
    } else {
      wholeProtocols.add(protocol);
    }
  }

  const out: PlanService[] = [];
  for (const protocol of wholeProtocols) out.push({ kind: 'protocol', protocol });
  for (const [protocol, list] of ports) {
    out.push({ kind: 'ports', protocol, ports: mergePortRanges(list) });
  }
  for (const [, entry] of icmp) {
    const coveredByProtocol = wholeProtocols.has(entry.protocol);
    const coveredByType = entry.code !== undefined && icmp.has(`${entry.protocol}/${entry.type}/*`);
    if (!coveredByProtocol && !coveredByType) out.push({ kind: 'icmp', ...entry });
  }
  return out.sort(compareServices);
}

const KIND_ORDER: Record<PlanService['kind'], number> = { any: 0, protocol: 1, ports: 2, icmp: 3 };

function compareServices(a: PlanService, b: PlanService): number {
  const protocolA = a.kind === 'any' ? -1 : a.protocol;
  const protocolB = b.kind === 'any' ? -1 : b.protocol;
  if (protocolA !== protocolB) return protocolA - protocolB;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.kind === 'icmp' && b.kind === 'icmp') {
    return a.type - b.type || (a.code ?? -1) - (b.code ?? -1);
  }
  return 0;
}
