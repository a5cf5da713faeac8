import { stringify } from 'yaml';

import type { Workload } from '../../domain/index.js';
import { createNamer } from '../nftables/text.js';
import type { PlanService } from '../service.js';
import type { GroupPeer, GroupPlan, GroupRule } from './groups.js';
import type { TargetNote, TargetOutput } from './notes.js';
import { admitsNamespace, dnsName, isEmptySelector, podAlternatives } from './selectors.js';
import type { LabelSelector, PodAlternative } from './selectors.js';

/** Options of {@link renderKubernetes}. */
export interface KubernetesOptions {
  /** The workload label that names a pod's namespace; `namespace` by default. */
  readonly namespaceKey?: string;
  /** The namespace of workloads without that label; `default` by default. */
  readonly defaultNamespace?: string;
  /** Priority of the first AdminNetworkPolicy (0–1000, lower wins); 10 by default. */
  readonly firstPriority?: number;
}

type Manifest = Record<string, unknown>;
type Direction = 'ingress' | 'egress';

const ANP_API = 'policy.networking.k8s.io/v1alpha1';
/** AdminNetworkPolicy allows at most 25 CIDRs per `networks` peer. */
const ANP_NETWORKS_MAX = 25;
const PROTOCOLS = new Map([
  [6, 'TCP'],
  [17, 'UDP'],
  [132, 'SCTP'],
]);

interface Context {
  readonly namespaceKey: string;
  readonly defaultNamespace: string;
  readonly namespaces: readonly string[];
  readonly workloads: ReadonlyMap<string, Workload>;
  readonly warnings: TargetNote[];
  readonly name: (base: string) => string;
  /** NetworkPolicy names are unique per namespace. */
  readonly namespacedNames: Map<string, (base: string) => string>;
  priority: number;
}

/**
 * Renders the policy as Kubernetes manifests, in three layers that Kubernetes evaluates
 * in this order (AdminNetworkPolicy API, KEP-2091):
 *
 * 1. AdminNetworkPolicy (ANP) for every tier up to the last one holding a `deny` or
 *    `pass`: one ANP per rule and direction, priorities in tier order and, inside a tier,
 *    `pass`, `deny`, `allow`, so the first matching ANP rule gives the deciding rule.
 * 2. NetworkPolicy for the allow-only tiers after it, per namespace; plus a default-deny
 *    NetworkPolicy in every namespace with workloads, so a flow no allow names is denied
 *    (NetworkPolicies are additive allows on isolated pods).
 * 3. BaselineAdminNetworkPolicy `default` denying everything, for namespaces that have no
 *    NetworkPolicy yet.
 *
 * What the API cannot say is emitted as a warning naming the rule: ICMP and protocols
 * other than TCP/UDP/SCTP, address peers in ANP ingress, and an ANP `Pass` before a later
 * ANP tier (ANP `Pass` skips every later ANP, a policy `pass` only the rest of its tier).
 *
 * @param plan The group plan from `buildGroupPlan`.
 * @param options Namespace mapping and the first ANP priority.
 * @returns Multi-document YAML and the warnings; the same input gives the same bytes.
 */
export function renderKubernetes(plan: GroupPlan, options: KubernetesOptions = {}): TargetOutput {
  const namespaceKey = options.namespaceKey ?? 'namespace';
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const namespaces = [
    ...new Set(plan.workloads.map((w) => w.labels[namespaceKey] ?? defaultNamespace)),
  ].sort();
  const context: Context = {
    namespaceKey,
    defaultNamespace,
    namespaces,
    workloads: new Map(plan.workloads.map((workload) => [workload.name, workload])),
    warnings: [],
    name: createNamer(),
    namespacedNames: new Map(),
    priority: options.firstPriority ?? 10,
  };

  const lastAdminTier = plan.tiers.findLastIndex((tier) =>
    tier.rules.some((rule) => rule.action !== 'allow'),
  );
  const manifests: Manifest[] = [];
  plan.tiers.forEach((tier, index) => {
    for (const rule of tier.rules) {
      if (index <= lastAdminTier) {
        if (rule.action === 'pass' && index < lastAdminTier) {
          context.warnings.push({
            rule: rule.id,
            message: `Rule "${rule.id}" passes in tier "${tier.name}", but an AdminNetworkPolicy Pass also skips the later tiers up to "${plan.tiers[lastAdminTier]!.name}": flows it passes are decided by NetworkPolicy`,
          });
        }
        manifests.push(...adminPolicies(rule, tier.name, context));
      } else {
        manifests.push(...networkPolicies(rule, context));
      }
      // ANP ingress cannot name addresses; an allow from addresses is placed in
      // NetworkPolicy, which sees the flows no AdminNetworkPolicy rule decided.
      const addressSources = rule.from.filter((peer) => peer.kind === 'addresses');
      if (index <= lastAdminTier && rule.action === 'allow' && addressSources.length > 0) {
        const ingressOnly = networkPolicies({ ...rule, from: addressSources }, context, 'ingress');
        manifests.push(...ingressOnly);
      }
    }
  });
  for (const namespace of namespaces) manifests.push(defaultDenyPolicy(namespace));
  manifests.push(baselinePolicy());

  const text = manifests.map((manifest) => stringify(manifest, { lineWidth: 0 })).join('---\n');
  return { text, warnings: context.warnings };
}

// ---- AdminNetworkPolicy --------------------------------------------------------------

function adminPolicies(rule: GroupRule, tier: string, context: Context): Manifest[] {
  const ports = adminPorts(rule, context);
  if (ports === null) return [];
  const out: Manifest[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const subjects = direction === 'ingress' ? rule.to : rule.from;
    const peers = direction === 'ingress' ? rule.from : rule.to;
    const adminPeers = peers.flatMap((peer) => adminPeer(peer, direction, rule, context));
    if (adminPeers.length === 0) continue;
    for (const subject of subjects.flatMap((peer) =>
      adminSubjects(peer, direction, rule, context),
    )) {
      const name = context.name(`bulkhead-${dnsName(rule.id)}-${direction}`);
      const body: Manifest = {
        name: dnsName(`${rule.id}-${direction}`, 100),
        action: capitalize(rule.action),
        [direction === 'ingress' ? 'from' : 'to']: adminPeers,
      };
      if (ports.length > 0) body.ports = ports;
      out.push({
        apiVersion: ANP_API,
        kind: 'AdminNetworkPolicy',
        metadata: {
          name,
          annotations: { 'bulkhead.dev/rule': rule.id, 'bulkhead.dev/tier': tier },
        },
        spec: { priority: context.priority++, subject, [direction]: [body] },
      });
    }
  }
  return out;
}

function adminSubjects(
  peer: GroupPeer,
  direction: Direction,
  rule: GroupRule,
  context: Context,
): Manifest[] {
  switch (peer.kind) {
    case 'any':
      return [{ namespaces: {} }];
    case 'labels':
      return podAlternatives(peer, context.namespaceKey).map(adminPodPeer);
    case 'addresses':
      if (!peer.source.startsWith('workload:')) return [];
      context.warnings.push({
        rule: rule.id,
        message: `Rule "${rule.id}" names ${peer.source} on its ${direction === 'ingress' ? 'to' : 'from'} side, which no AdminNetworkPolicy subject can select; select the workload by label`,
      });
      return [];
  }
}

function adminPeer(
  peer: GroupPeer,
  direction: Direction,
  rule: GroupRule,
  context: Context,
): Manifest[] {
  switch (peer.kind) {
    case 'any':
      if (direction === 'ingress') {
        if (rule.action !== 'allow') {
          context.warnings.push({
            rule: rule.id,
            message: `Rule "${rule.id}" matches any source, but AdminNetworkPolicy ingress peers select only pods: sources outside the cluster are not matched by it`,
          });
        }
        return [{ namespaces: {} }];
      }
      return [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }];
    case 'labels':
      return podAlternatives(peer, context.namespaceKey).map(adminPodPeer);
    case 'addresses': {
      if (direction === 'ingress') {
        if (rule.action !== 'allow') {
          context.warnings.push({
            rule: rule.id,
            message: `Rule "${rule.id}" names ${peer.source} as a source, but AdminNetworkPolicy ingress peers cannot name addresses: that part of the rule is left out`,
          });
        }
        return [];
      }
      const all = [...peer.prefixes.v4, ...peer.prefixes.v6];
      const out: Manifest[] = [];
      for (let i = 0; i < all.length; i += ANP_NETWORKS_MAX) {
        out.push({ networks: all.slice(i, i + ANP_NETWORKS_MAX) });
      }
      return out;
    }
  }
}

function adminPodPeer(alternative: PodAlternative): Manifest {
  if (isEmptySelector(alternative.pod)) return { namespaces: alternative.namespace };
  return { pods: { namespaceSelector: alternative.namespace, podSelector: alternative.pod } };
}

/** ANP ports, [] for every port and protocol, null when nothing of the rule is expressible. */
function adminPorts(rule: GroupRule, context: Context): Manifest[] | null {
  if (rule.services.some((service) => service.kind === 'any')) return [];
  const out: Manifest[] = [];
  for (const service of supportedServices(rule, context)) {
    const protocol = PROTOCOLS.get(service.protocol)!;
    for (const range of service.ports) {
      const first = Math.max(range.first, 1);
      out.push(
        first === range.last
          ? { portNumber: { protocol, port: first } }
          : { portRange: { protocol, start: first, end: range.last } },
      );
    }
  }
  return out.length === 0 ? null : out;
}

// ---- NetworkPolicy -------------------------------------------------------------------

function networkPolicies(rule: GroupRule, context: Context, only?: Direction): Manifest[] {
  const ports = networkPorts(rule, context);
  if (ports === null) return [];
  const out: Manifest[] = [];
  for (const direction of only === undefined ? (['ingress', 'egress'] as const) : [only]) {
    const subjects = direction === 'ingress' ? rule.to : rule.from;
    const selected = direction === 'ingress' ? rule.toWorkloads : rule.fromWorkloads;
    const peers = direction === 'ingress' ? rule.from : rule.to;
    const namespacesWithWorkloads = new Set(
      selected.map((name) => {
        const workload = context.workloads.get(name);
        return workload?.labels[context.namespaceKey] ?? context.defaultNamespace;
      }),
    );
    const everyone = peers.some((peer) => peer.kind === 'any');
    const npPeers = everyone ? [] : peers.flatMap((peer) => networkPeer(peer, context));
    if (!everyone && npPeers.length === 0) continue;

    for (const subject of subjects) {
      const placements: { namespace: string; pod: LabelSelector }[] = [];
      if (subject.kind === 'any') {
        for (const namespace of context.namespaces) placements.push({ namespace, pod: {} });
      } else if (subject.kind === 'labels') {
        for (const alternative of podAlternatives(subject, context.namespaceKey)) {
          for (const namespace of context.namespaces) {
            if (!namespacesWithWorkloads.has(namespace)) continue;
            if (!admitsNamespace(alternative.namespace, namespace)) continue;
            placements.push({ namespace, pod: alternative.pod });
          }
        }
      } else if (subject.source.startsWith('workload:')) {
        context.warnings.push({
          rule: rule.id,
          message: `Rule "${rule.id}" names ${subject.source} on its ${direction === 'ingress' ? 'to' : 'from'} side, which no NetworkPolicy podSelector can select; select the workload by label`,
        });
      }
      for (const placement of placements) {
        const body: Manifest = {};
        if (!everyone) body[direction === 'ingress' ? 'from' : 'to'] = npPeers;
        if (ports.length > 0) body.ports = ports;
        out.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: {
            name: namespacedName(
              context,
              placement.namespace,
              `bulkhead-${dnsName(rule.id)}-${direction}`,
            ),
            namespace: placement.namespace,
            annotations: { 'bulkhead.dev/rule': rule.id },
          },
          spec: {
            podSelector: placement.pod,
            policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
            [direction]: [body],
          },
        });
      }
    }
  }
  return out;
}

function namespacedName(context: Context, namespace: string, base: string): string {
  let namer = context.namespacedNames.get(namespace);
  if (namer === undefined) {
    namer = createNamer();
    context.namespacedNames.set(namespace, namer);
  }
  return namer(base);
}

function networkPeer(peer: GroupPeer, context: Context): Manifest[] {
  switch (peer.kind) {
    case 'any':
      return [];
    case 'labels':
      return podAlternatives(peer, context.namespaceKey).map((alternative) => ({
        namespaceSelector: alternative.namespace,
        podSelector: alternative.pod,
      }));
    case 'addresses':
      return peer.cidrs.map((entry) =>
        entry.except.length === 0
          ? { ipBlock: { cidr: entry.cidr } }
          : { ipBlock: { cidr: entry.cidr, except: [...entry.except] } },
      );
  }
}

/** NetworkPolicy ports, [] for every port and protocol, null when nothing is expressible. */
function networkPorts(rule: GroupRule, context: Context): Manifest[] | null {
  if (rule.services.some((service) => service.kind === 'any')) return [];
  const out: Manifest[] = [];
  for (const service of supportedServices(rule, context)) {
    const protocol = PROTOCOLS.get(service.protocol)!;
    for (const range of service.ports) {
      const first = Math.max(range.first, 1);
      if (first === 1 && range.last === 65535) out.push({ protocol });
      else if (first === range.last) out.push({ protocol, port: first });
      else out.push({ protocol, port: first, endPort: range.last });
    }
  }
  return out.length === 0 ? null : out;
}

/** The TCP/UDP/SCTP services of a rule as port lists; warns about the others. */
function supportedServices(
  rule: GroupRule,
  context: Context,
): { protocol: number; ports: readonly { first: number; last: number }[] }[] {
  const out: { protocol: number; ports: readonly { first: number; last: number }[] }[] = [];
  for (const service of rule.services) {
    const supported = servicePorts(service);
    if (supported === undefined) {
      context.warnings.push({
        rule: rule.id,
        message: `Rule "${rule.id}" names ${describeService(service)}, which Kubernetes network policies cannot express (TCP, UDP and SCTP only): that service is left out`,
      });
    } else {
      out.push(supported);
    }
  }
  return out;
}

function servicePorts(
  service: PlanService,
): { protocol: number; ports: readonly { first: number; last: number }[] } | undefined {
  if (service.kind === 'ports' && PROTOCOLS.has(service.protocol)) return service;
  if (service.kind === 'protocol' && PROTOCOLS.has(service.protocol)) {
    return { protocol: service.protocol, ports: [{ first: 0, last: 65535 }] };
  }
  return undefined;
}

export function describeService(service: PlanService): string {
  switch (service.kind) {
    case 'any':
      return 'any service';
    case 'protocol':
      return `protocol ${service.protocol}`;
    case 'ports':
      return `protocol ${service.protocol} ports ${service.ports.map((r) => (r.first === r.last ? r.first : `${r.first}-${r.last}`)).join(',')}`;
    case 'icmp':
      return `ICMP (protocol ${service.protocol}) type ${service.type}${service.code === undefined ? '' : ` code ${service.code}`}`;
  }
}

// ---- defaults ------------------------------------------------------------------------

function defaultDenyPolicy(namespace: string): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'bulkhead-default-deny',
      namespace,
      annotations: { 'bulkhead.dev/rule': 'default' },
    },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

function baselinePolicy(): Manifest {
  return {
    apiVersion: ANP_API,
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default', annotations: { 'bulkhead.dev/rule': 'default' } },
    spec: {
      subject: { namespaces: {} },
      ingress: [{ name: 'default-deny', action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [
        {
          name: 'default-deny',
          action: 'Deny',
          to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }],
        },
      ],
    },
  };
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
