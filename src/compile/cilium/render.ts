import { stringify } from 'yaml';

import type { Workload } from '../../domain/index.js';
import { rulesMayOverlap } from '../k8s/groups.js';
import type { GroupPeer, GroupPlan, GroupRule } from '../k8s/groups.js';
import type { TargetNote, TargetOutput } from '../k8s/notes.js';
import { describeService } from '../k8s/render.js';
import {
  NAMESPACE_NAME_LABEL,
  admitsNamespace,
  dnsName,
  podAlternatives,
} from '../k8s/selectors.js';
import type { LabelSelector } from '../k8s/selectors.js';
import { createNamer } from '../nftables/text.js';
import type { PlanService } from '../service.js';

/** Options of {@link renderCilium}. */
export interface CiliumOptions {
  /** The workload label that names a pod's namespace; `namespace` by default. */
  readonly namespaceKey?: string;
  /** The namespace of workloads without that label; `default` by default. */
  readonly defaultNamespace?: string;
}

type Manifest = Record<string, unknown>;
type Direction = 'ingress' | 'egress';

/** The label Cilium gives every endpoint with its pod's namespace. */
export const CILIUM_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';

const PORT_PROTOCOLS = new Map([
  [6, 'TCP'],
  [17, 'UDP'],
  [132, 'SCTP'],
]);

/**
 * Renders the policy as CiliumNetworkPolicies, one per rule, direction and namespace of
 * the selected pods. Cilium has no tiers and no pass: allow rules (`ingress`, `egress`)
 * are a union, deny rules (`ingressDeny`, `egressDeny`) win over every allow whatever
 * their order. That equals the policy wherever no allow of an earlier tier or pass of the
 * same tier overlaps a deny; each such overlap is a warning naming both rules, and every
 * pass rule is left out with a warning. A default-deny policy per namespace (`ingress:
 * [{}]`, `egress: [{}]`) puts every endpoint in default deny.
 *
 * @param plan The group plan from `buildGroupPlan`.
 * @param options Namespace mapping.
 * @returns Multi-document YAML and warnings naming the rules.
 */
export function renderCilium(plan: GroupPlan, options: CiliumOptions = {}): TargetOutput {
  const namespaceKey = options.namespaceKey ?? 'namespace';
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const namespaceOf = (workload: Workload | undefined): string =>
    workload?.labels[namespaceKey] ?? defaultNamespace;
  const byName = new Map(plan.workloads.map((workload) => [workload.name, workload]));
  const namespaces = [...new Set(plan.workloads.map(namespaceOf))].sort();
  const warnings: TargetNote[] = conflicts(plan);
  const names = new Map<string, (base: string) => string>();
  const nameIn = (namespace: string, base: string): string => {
    const namer = names.get(namespace) ?? createNamer();
    names.set(namespace, namer);
    return namer(base);
  };

  const manifests: Manifest[] = [];
  for (const tier of plan.tiers) {
    for (const rule of tier.rules) {
      if (rule.action === 'pass') continue;
      const ports = ciliumPorts(rule, warnings);
      if (ports === null) continue;
      for (const direction of ['ingress', 'egress'] as const) {
        const subjects = direction === 'ingress' ? rule.to : rule.from;
        const peers = direction === 'ingress' ? rule.from : rule.to;
        const selected = direction === 'ingress' ? rule.toWorkloads : rule.fromWorkloads;
        const used = new Set(selected.map((name) => namespaceOf(byName.get(name))));
        const body = peers.flatMap((peer) => peerFields(peer, direction, namespaceKey));
        const placements: { namespace: string; pod: LabelSelector }[] = [];
        for (const subject of subjects) {
          if (subject.kind === 'any') {
            for (const namespace of namespaces) placements.push({ namespace, pod: {} });
          } else if (subject.kind === 'labels') {
            for (const alternative of podAlternatives(subject, namespaceKey)) {
              for (const namespace of namespaces) {
                if (used.has(namespace) && admitsNamespace(alternative.namespace, namespace)) {
                  placements.push({ namespace, pod: alternative.pod });
                }
              }
            }
          }
        }
        const key = rule.action === 'deny' ? `${direction}Deny` : direction;
        for (const placement of placements) {
          manifests.push({
            apiVersion: 'cilium.io/v2',
            kind: 'CiliumNetworkPolicy',
            metadata: {
              name: nameIn(placement.namespace, `bulkhead-${dnsName(rule.id)}-${direction}`),
              namespace: placement.namespace,
              annotations: { 'bulkhead.dev/rule': rule.id, 'bulkhead.dev/tier': tier.name },
            },
            spec: {
              endpointSelector: placement.pod,
              [key]: body.map((peer) => ({ ...peer, ...ports })),
            },
          });
        }
      }
    }
  }
  for (const namespace of namespaces) {
    manifests.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: {
        name: 'bulkhead-default-deny',
        namespace,
        annotations: { 'bulkhead.dev/rule': 'default' },
      },
      spec: { endpointSelector: {}, ingress: [{}], egress: [{}] },
    });
  }
  const text = manifests.map((manifest) => stringify(manifest, { lineWidth: 0 })).join('---\n');
  return { text, warnings };
}

/** Where tier order or pass matters, which Cilium cannot follow. */
function conflicts(plan: GroupPlan): TargetNote[] {
  const out: TargetNote[] = [];
  plan.tiers.forEach((tier, index) => {
    for (const rule of tier.rules) {
      if (rule.action === 'pass') {
        out.push({
          rule: rule.id,
          message: `Rule "${rule.id}" is a pass, which Cilium cannot express (no tiers): it is left out, so denies of tier "${tier.name}" also apply to the flows it exempts`,
        });
        continue;
      }
      if (rule.action !== 'deny') continue;
      for (const earlier of plan.tiers.slice(0, index + 1)) {
        for (const other of earlier.rules) {
          const shadowing = earlier === tier ? other.action === 'pass' : other.action === 'allow';
          if (!shadowing || !rulesMayOverlap(rule, other)) continue;
          out.push({
            rule: rule.id,
            message: `Rule "${rule.id}" denies flows that rule "${other.id}" ${other.action === 'pass' ? 'passes' : 'allows'} first in tier "${earlier.name}"; Cilium deny rules win over every allow, so those flows are denied`,
          });
        }
      }
    }
  });
  return out;
}

function peerFields(peer: GroupPeer, direction: Direction, namespaceKey: string): Manifest[] {
  const prefix = direction === 'ingress' ? 'from' : 'to';
  switch (peer.kind) {
    case 'any':
      return [{ [`${prefix}Entities`]: ['all'] }];
    case 'labels':
      return [
        {
          [`${prefix}Endpoints`]: podAlternatives(peer, namespaceKey).map((alternative) =>
            withNamespace(alternative.pod, alternative.namespace),
          ),
        },
      ];
    case 'addresses':
      return [
        {
          [`${prefix}CIDRSet`]: peer.cidrs.map((entry) =>
            entry.except.length === 0
              ? { cidr: entry.cidr }
              : { cidr: entry.cidr, except: [...entry.except] },
          ),
        },
      ];
  }
}

/**
 * A peer selector for every namespace, or the ones named: in a CiliumNetworkPolicy an
 * endpoint selector without the namespace label selects only the policy's own namespace.
 */
function withNamespace(pod: LabelSelector, namespace: LabelSelector): LabelSelector {
  const names = namespace.matchLabels?.[NAMESPACE_NAME_LABEL];
  const labels = { ...pod.matchLabels };
  if (names !== undefined) labels[CILIUM_NAMESPACE_LABEL] = names;
  const expressions = [
    ...(pod.matchExpressions ?? []),
    ...(namespace.matchExpressions ?? []).map((expression) => ({
      ...expression,
      key: CILIUM_NAMESPACE_LABEL,
    })),
  ];
  if (names === undefined && namespace.matchExpressions === undefined) {
    expressions.push({ key: CILIUM_NAMESPACE_LABEL, operator: 'Exists' });
  }
  const out: LabelSelector = {};
  if (Object.keys(labels).length > 0) out.matchLabels = labels;
  if (expressions.length > 0) out.matchExpressions = expressions;
  return out;
}

/** `toPorts`/`icmps` of a rule, {} for any service, null when nothing is expressible. */
function ciliumPorts(rule: GroupRule, warnings: TargetNote[]): Manifest | null {
  if (rule.services.some((service) => service.kind === 'any')) return {};
  const ports: Manifest[] = [];
  const icmps: Manifest[] = [];
  for (const service of rule.services) {
    const entry = servicePort(service);
    if (entry === undefined) {
      warnings.push({
        rule: rule.id,
        message: `Rule "${rule.id}" names ${describeService(service)}, which Cilium cannot express (TCP, UDP and SCTP ports, ICMP types without codes): that service is left out`,
      });
    } else if ('family' in entry) {
      icmps.push(entry);
    } else {
      ports.push(...(entry.ports as Manifest[]));
    }
  }
  const out: Manifest = {};
  if (ports.length > 0) out.toPorts = [{ ports }];
  if (icmps.length > 0) out.icmps = [{ fields: icmps }];
  return Object.keys(out).length === 0 ? null : out;
}

function servicePort(service: PlanService): Manifest | undefined {
  switch (service.kind) {
    case 'any':
      return undefined;
    case 'protocol': {
      const protocol = PORT_PROTOCOLS.get(service.protocol);
      return protocol === undefined ? undefined : { ports: [{ port: '0', protocol }] };
    }
    case 'ports': {
      const protocol = PORT_PROTOCOLS.get(service.protocol);
      if (protocol === undefined) return undefined;
      return {
        ports: service.ports.map((range) => {
          const first = Math.max(range.first, range.last === 65535 && range.first === 0 ? 0 : 1);
          return first === range.last || first === 0
            ? { port: String(first), protocol }
            : { port: String(first), endPort: range.last, protocol };
        }),
      };
    }
    case 'icmp':
      if (service.code !== undefined) return undefined;
      return { type: service.type, family: service.protocol === 1 ? 'IPv4' : 'IPv6' };
  }
}
