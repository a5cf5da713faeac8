import { stringify } from 'yaml';

import type { LabelMatch } from '../../domain/index.js';
import type { GroupPeer, GroupPlan, GroupRule } from '../k8s/groups.js';
import type { TargetNote, TargetOutput } from '../k8s/notes.js';
import { dnsName } from '../k8s/selectors.js';
import { createNamer } from '../nftables/text.js';
import type { PlanService } from '../service.js';

/** Options of {@link renderCalico}. */
export interface CalicoOptions {
  /** Order of the first tier; later tiers follow in steps of 100. 100 by default. */
  readonly firstTierOrder?: number;
}

type Manifest = Record<string, unknown>;

const API = 'projectcalico.org/v3';
const PROTOCOLS = new Map([
  [1, 'ICMP'],
  [6, 'TCP'],
  [17, 'UDP'],
  [58, 'ICMPv6'],
  [132, 'SCTP'],
]);
/** Order of the policy that ends each tier with Pass: after every rule's policy. */
const END_OF_TIER_ORDER = 10000;

/**
 * Renders the policy as Calico Tiers and GlobalNetworkPolicies. Calico's model matches the
 * policy's: tiers are evaluated in `order`, policies inside a tier in `order`, the first
 * rule whose action is Allow, Deny or Pass decides, and Pass hands the flow to the next
 * tier. So each policy tier becomes a Tier, each rule one GlobalNetworkPolicy per
 * direction (ingress on the endpoints `to` selects, egress on those `from` selects),
 * ordered `pass`, `deny`, `allow`. Two additions keep the semantics exact:
 *
 * - Calico drops a flow at the end of a tier when a policy of the tier selected the
 *   endpoint but no rule matched; the policy says such a flow goes to the next tier, so
 *   every tier ends with a policy that selects every endpoint and passes.
 * - A last tier `bulkhead-default` denies everything: the policy's default deny.
 *
 * @param plan The group plan from `buildGroupPlan`.
 * @param options The first tier's order.
 * @returns Multi-document YAML and warnings (workload names selected by address).
 */
export function renderCalico(plan: GroupPlan, options: CalicoOptions = {}): TargetOutput {
  const warnings: TargetNote[] = [];
  const firstOrder = options.firstTierOrder ?? 100;
  const tierName = createNamer();
  const manifests: Manifest[] = [];

  plan.tiers.forEach((tier, index) => {
    const name = tierName(`bulkhead-${dnsName(tier.name, 40)}`);
    manifests.push({
      apiVersion: API,
      kind: 'Tier',
      metadata: { name },
      spec: { order: firstOrder + 100 * index },
    });
    const policyName = createNamer();
    tier.rules.forEach((rule, position) => {
      for (const direction of ['ingress', 'egress'] as const) {
        const subject = direction === 'ingress' ? rule.to : rule.from;
        const selector = endpointSelector(subject);
        if (selector === undefined) continue;
        const rules = calicoRules(rule, direction);
        if (rules.length === 0) continue;
        manifests.push({
          apiVersion: API,
          kind: 'GlobalNetworkPolicy',
          metadata: {
            name: `${name}.${policyName(`${dnsName(rule.id)}-${direction}`)}`,
            annotations: { 'bulkhead.dev/rule': rule.id },
          },
          spec: {
            tier: name,
            order: position + 1,
            selector,
            types: [direction === 'ingress' ? 'Ingress' : 'Egress'],
            [direction]: rules,
          },
        });
      }
      for (const peer of [...rule.from, ...rule.to]) {
        if (peer.kind === 'addresses' && peer.source.startsWith('workload:')) {
          warnings.push({
            rule: rule.id,
            message: `Rule "${rule.id}" names ${peer.source}, compiled to its addresses: Calico selects endpoints by label, so the rule follows the addresses, not the workload`,
          });
        }
      }
    });
    manifests.push(passAll(name, `${name}.end-of-tier`, END_OF_TIER_ORDER, 'Pass'));
  });
  const last = tierName('bulkhead-default');
  manifests.push({
    apiVersion: API,
    kind: 'Tier',
    metadata: { name: last },
    spec: { order: firstOrder + 100 * plan.tiers.length },
  });
  manifests.push(passAll(last, `${last}.default-deny`, END_OF_TIER_ORDER, 'Deny'));

  const text = manifests.map((manifest) => stringify(manifest, { lineWidth: 0 })).join('---\n');
  return { text, warnings };
}

function passAll(tier: string, name: string, order: number, action: 'Pass' | 'Deny'): Manifest {
  return {
    apiVersion: API,
    kind: 'GlobalNetworkPolicy',
    metadata: {
      name,
      annotations: { 'bulkhead.dev/rule': action === 'Deny' ? 'default' : 'end-of-tier' },
    },
    spec: {
      tier,
      order,
      selector: 'all()',
      types: ['Ingress', 'Egress'],
      ingress: [{ action }],
      egress: [{ action }],
    },
  };
}

/** The endpoints a side selects as a Calico selector; undefined when it names only addresses. */
function endpointSelector(peers: readonly GroupPeer[]): string | undefined {
  if (peers.some((peer) => peer.kind === 'any')) return 'all()';
  const parts = peers.flatMap((peer) =>
    peer.kind === 'labels' ? [labelExpression(peer.match, peer.not)] : [],
  );
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((part) => `(${part})`).join(' || ');
}

/** `key == 'v'` / `key in {'a', 'b'}` joined by `&&`, with `!( … )` for `not`. */
export function labelExpression(match: LabelMatch, not?: LabelMatch): string {
  const terms = (labels: LabelMatch): string[] =>
    Object.keys(labels)
      .sort()
      .map((key) => {
        const values = [...labels[key]!].sort();
        return values.length === 1
          ? `${key} == '${values[0]!}'`
          : `${key} in {${values.map((value) => `'${value}'`).join(', ')}}`;
      });
  const own = terms(match);
  if (not !== undefined) own.push(`!(${terms(not).join(' && ')})`);
  return own.length === 0 ? 'all()' : own.join(' && ');
}

/** One Calico rule per (peer, service): peers are ORed, a rule holds one of each. */
function calicoRules(rule: GroupRule, direction: 'ingress' | 'egress'): Manifest[] {
  const peers = direction === 'ingress' ? rule.from : rule.to;
  const peerKey = direction === 'ingress' ? 'source' : 'destination';
  const action = `${rule.action.charAt(0).toUpperCase()}${rule.action.slice(1)}`;
  const out: Manifest[] = [];
  const peerEntries = peers.some((peer) => peer.kind === 'any') ? [{}] : peers.map(peerEntry);
  for (const peer of peerEntries) {
    for (const service of rule.services) {
      const entry: Manifest = { action, ...serviceFields(service) };
      const destination = (entry.destination as Manifest | undefined) ?? {};
      delete entry.destination;
      const sides: Manifest = { source: {}, destination };
      sides[peerKey] = { ...(sides[peerKey] as Manifest), ...peer };
      if (Object.keys(sides.source as Manifest).length > 0) entry.source = sides.source;
      if (Object.keys(sides.destination as Manifest).length > 0)
        entry.destination = sides.destination;
      out.push(entry);
    }
  }
  return out;
}

function peerEntry(peer: GroupPeer): Manifest {
  switch (peer.kind) {
    case 'any':
      return {};
    case 'labels':
      return { selector: labelExpression(peer.match, peer.not) };
    case 'addresses': {
      const except = peer.cidrs.flatMap((entry) => entry.except);
      const nets = peer.cidrs.map((entry) => entry.cidr);
      return except.length === 0 ? { nets } : { nets, notNets: except };
    }
  }
}

function serviceFields(service: PlanService): Manifest {
  switch (service.kind) {
    case 'any':
      return {};
    case 'protocol':
      return { protocol: PROTOCOLS.get(service.protocol) ?? service.protocol };
    case 'ports': {
      const protocol = PROTOCOLS.get(service.protocol) ?? service.protocol;
      const every =
        service.ports.length === 1 &&
        service.ports[0]!.first === 0 &&
        service.ports[0]!.last === 65535;
      if (every) return { protocol };
      const ports = service.ports.map((range) => {
        const first = Math.max(range.first, 1);
        return first === range.last ? first : `${first}:${range.last}`;
      });
      return { protocol, destination: { ports } };
    }
    case 'icmp': {
      const icmp =
        service.code === undefined
          ? { type: service.type }
          : { type: service.type, code: service.code };
      return { protocol: PROTOCOLS.get(service.protocol) ?? service.protocol, icmp };
    }
  }
}
