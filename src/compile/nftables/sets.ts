import { formatAddressRange } from '../interval.js';
import type { AddressRange } from '../interval.js';
import type { PlanRule } from '../plan.js';
import type { PlanService } from '../service.js';
import type { PortRange } from '../../domain/index.js';

/** IP family of a set: nftables keeps IPv4 and IPv6 addresses in different set types. */
export type NftFamily = 'v4' | 'v6';

/**
 * The three set shapes a rule compiles to. Each is a concatenation whose first field is
 * the peer address, so a rule costs one set lookup per packet however many peers it has.
 */
export type SetShape = 'ports' | 'icmp' | 'proto';

/** The elements of one set and the match that looks it up. */
export interface SetContent {
  readonly shape: SetShape;
  readonly type: string;
  /** The match with `@SET` where the set name goes. */
  readonly match: string;
  readonly elements: readonly string[];
}

const ICMP_PROTOCOL: Record<NftFamily, number> = { v4: 1, v6: 58 };
const PORT_PROTOCOL_NAMES = new Map([
  [6, 'tcp'],
  [17, 'udp'],
  [132, 'sctp'],
]);

/**
 * The sets one rule needs in one family and direction; shapes without elements are left
 * out. Elements are the cross product of the peer ranges and the services, both already
 * merged and sorted, so no two elements overlap (interval sets refuse overlaps).
 */
export function ruleSets(rule: PlanRule, family: NftFamily, peerField: string): SetContent[] {
  const peers = family === 'v4' ? rule.peers.v4 : rule.peers.v6;
  if (peers.length === 0) return [];

  const ip = family === 'v4' ? 'ip' : 'ip6';
  const addressType = family === 'v4' ? 'ipv4_addr' : 'ipv6_addr';
  const icmp = family === 'v4' ? 'icmp' : 'icmpv6';
  const out: SetContent[] = [
    {
      shape: 'ports',
      type: `${addressType} . inet_proto . inet_service`,
      match: `${ip} ${peerField} . meta l4proto . th dport @SET`,
      elements: cross(peers, rule.services.flatMap(portElements)),
    },
    {
      shape: 'icmp',
      type: `${addressType} . ${icmp}_type . ${icmp}_code`,
      match: `${ip} ${peerField} . ${icmp} type . ${icmp} code @SET`,
      elements: cross(
        peers,
        rule.services.flatMap((service) => icmpElements(service, ICMP_PROTOCOL[family])),
      ),
    },
    {
      shape: 'proto',
      type: `${addressType} . inet_proto`,
      match: `${ip} ${peerField} . meta l4proto @SET`,
      elements: cross(peers, rule.services.flatMap(protocolElements)),
    },
  ];
  return out.filter((set) => set.elements.length > 0);
}

function cross(peers: readonly AddressRange[], tails: readonly string[]): string[] {
  return peers.flatMap((peer) => tails.map((tail) => `${formatAddressRange(peer)} . ${tail}`));
}

function portElements(service: PlanService): string[] {
  if (service.kind !== 'ports') return [];
  const name = PORT_PROTOCOL_NAMES.get(service.protocol) ?? String(service.protocol);
  return service.ports.map((range) => `${name} . ${formatRange(range)}`);
}

function icmpElements(service: PlanService, protocol: number): string[] {
  if (service.kind !== 'icmp' || service.protocol !== protocol) return [];
  return [`${service.type} . ${service.code ?? '0-255'}`];
}

function protocolElements(service: PlanService): string[] {
  if (service.kind === 'any') return ['0-255'];
  if (service.kind === 'protocol') return [String(service.protocol)];
  return [];
}

function formatRange(range: PortRange): string {
  return range.first === range.last ? String(range.first) : `${range.first}-${range.last}`;
}
