import type { Policy, Rule, Selector, ServiceEntry, Workload } from '../../domain/index.js';
import { selectorPrefixes, selectsAny, selectsEndpoint, workloadEndpoint } from '../select.js';

import {
  addressRange,
  cidrRange,
  rangesOverlap,
  rangesToPrefixes,
  subtractRanges,
} from './ip-range.js';
import type { IpRange } from './ip-range.js';
import { routesNetworkName } from './naming.js';
import type { FilterPortRange, PacketFilterRule, TailscaleImported } from './types.js';

const ALL_PORTS: FilterPortRange = { First: 0, Last: 65535 };

/** Tailscale's protocols when a rule names none; a filter rule without IPProto means these. */
const DEFAULT_PROTOCOLS = [6, 17, 1, 58] as const;

/**
 * Compiles one node's packet filter from the imported Bulkhead policy, in the shape
 * Tailscale's control plane sends to the node: for each allow rule whose destination
 * selects the node (by its labels, by a prefix holding one of its addresses, or by a
 * prefix overlapping one of its approved subnet routes), the sources the rule selects
 * and the destinations with their ports.
 *
 * Everything is decided by Bulkhead's own selection functions on the Bulkhead policy, so
 * comparing the result with Tailscale's filter checks Bulkhead's engine, not the importer.
 * Only `allow` rules produce entries: an imported policy has no other kind.
 *
 * @param result A successful `importTailscale` result.
 * @param nodeName The node to compile for.
 * @returns The node's rules, one per Bulkhead rule and group of protocols sharing ports.
 * @throws RangeError when no workload has that name.
 * @example
 * compileTailscaleFilters(imported, 'tagged-server'); // [{ SrcIPs: ['100.83.200.69', …], DstPorts: [{ IP: '100.108.74.26', Ports: { First: 22, Last: 22 } }] }]
 */
export function compileTailscaleFilters(
  result: TailscaleImported,
  nodeName: string,
): PacketFilterRule[] {
  const node = result.workloads.find((workload) => workload.name === nodeName);
  if (node === undefined) {
    const known = result.workloads
      .map((workload) => workload.name)
      .sort()
      .join(', ');
    throw new RangeError(
      `Cannot compile filters for node "${nodeName}": no such node; known nodes are ${known || 'none'}`,
    );
  }
  const policy = result.policy;
  const routes = (policy.networks.get(routesNetworkName(nodeName))?.cidrs ?? []).map(cidrRange);

  const out: PacketFilterRule[] = [];
  for (const tier of policy.tiers) {
    for (const rule of tier.rules) {
      if (rule.action !== 'allow') continue;
      const dst = destinations(policy, rule.to, node, routes);
      if (dst.length === 0) continue;
      const src = sources(policy, rule, result.workloads);
      if (src.length === 0) continue;
      for (const group of protocolGroups(rule.services)) {
        const DstPorts = dst.flatMap((IP) => group.ports.map((Ports) => ({ IP, Ports })));
        out.push(
          group.protocols === undefined
            ? { SrcIPs: src, DstPorts }
            : { SrcIPs: src, DstPorts, IPProto: group.protocols },
        );
      }
    }
  }
  return out;
}

function prefixRanges(policy: Policy, selector: Selector): IpRange[] {
  return selectorPrefixes(policy, selector).flatMap((entry) =>
    subtractRanges(entry.cidrs.map(cidrRange), entry.except.map(cidrRange)),
  );
}

/** The addresses a rule's source selects: its workloads' addresses and its prefixes. */
function sources(policy: Policy, rule: Rule, workloads: readonly Workload[]): string[] {
  if (selectsAny(policy, rule.from)) return ['*'];
  const ranges: IpRange[] = prefixRanges(policy, rule.from);
  for (const workload of workloads) {
    for (const address of workload.addresses) {
      if (selectsEndpoint(policy, rule.from, workloadEndpoint(workload, address))) {
        ranges.push(addressRange(address));
      }
    }
  }
  return rangesToPrefixes(ranges);
}

/**
 * The destinations of a rule on one node: `*` for `any`; all the node's addresses when a
 * label or name term selects it; a prefix when it holds one of the node's addresses or
 * overlaps one of its routes (the node forwards to that subnet).
 */
function destinations(
  policy: Policy,
  selector: Selector,
  node: Workload,
  routes: readonly IpRange[],
): string[] {
  if (selectsAny(policy, selector)) return ['*'];
  const ranges: IpRange[] = [];
  const identity = selector.filter((term) => term.kind === 'labels' || term.kind === 'workload');
  if (identity.length > 0 && selectsEndpoint(policy, identity, workloadEndpoint(node))) {
    ranges.push(...node.addresses.map(addressRange));
  }
  const own = [...node.addresses.map(addressRange), ...routes];
  for (const range of prefixRanges(policy, selector)) {
    if (own.some((mine) => rangesOverlap(mine, range))) ranges.push(range);
  }
  return rangesToPrefixes(ranges);
}

interface ProtocolGroup {
  /** Absent: Tailscale's default protocols. */
  readonly protocols?: number[];
  readonly ports: FilterPortRange[];
}

function portKey(ports: readonly FilterPortRange[]): string {
  return ports.map((p) => `${p.First}-${p.Last}`).join(',');
}

/**
 * Groups a rule's services into filter rules: protocols that share the same ports share a
 * rule. Protocols without ports get 0–65535, as Tailscale writes them. When the services
 * are exactly Tailscale's default set (TCP and UDP on the same ports, ICMP and ICMPv6), one
 * rule without IPProto is written, the way Tailscale writes a rule that names no protocol.
 */
function protocolGroups(services: Rule['services']): ProtocolGroup[] {
  if (services === 'any') {
    return [{ protocols: Array.from({ length: 256 }, (_, n) => n), ports: [ALL_PORTS] }];
  }
  const byProtocol = new Map<number, FilterPortRange[]>();
  for (const entry of services) {
    for (const protocol of entryProtocols(entry)) {
      const list = byProtocol.get(protocol) ?? [];
      byProtocol.set(protocol, list);
      list.push(...entryPorts(entry, protocol));
    }
  }
  const tcp = byProtocol.get(6);
  const isDefault =
    byProtocol.size === 4 &&
    DEFAULT_PROTOCOLS.every((p) => byProtocol.has(p)) &&
    tcp !== undefined &&
    portKey(tcp) === portKey(byProtocol.get(17) ?? []) &&
    portKey(byProtocol.get(1) ?? []) === portKey([ALL_PORTS]) &&
    portKey(byProtocol.get(58) ?? []) === portKey([ALL_PORTS]);
  if (isDefault) return [{ ports: tcp }];

  const groups = new Map<string, ProtocolGroup>();
  for (const [protocol, ports] of byProtocol) {
    const key = portKey(ports);
    const group = groups.get(key) ?? { protocols: [], ports };
    groups.set(key, group);
    group.protocols?.push(protocol);
  }
  return [...groups.values()];
}

function entryProtocols(entry: ServiceEntry): number[] {
  return entry.protocol === 'any' ? Array.from({ length: 256 }, (_, n) => n) : [entry.protocol];
}

function entryPorts(entry: ServiceEntry, protocol: number): FilterPortRange[] {
  if (protocol !== 6 && protocol !== 17 && protocol !== 132) return [ALL_PORTS];
  if (entry.ports === undefined) return [ALL_PORTS];
  return entry.ports.map((range) => ({ First: range.first, Last: range.last }));
}
