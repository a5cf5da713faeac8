/**
 * Turns a cluster's NetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicy
 * into a Bulkhead policy (`bulkhead import k8s`), so that reachability, blast radius and
 * isolation proofs work on a cluster too.
 *
 * Kubernetes decides each direction on its own (egress at the source, ingress at the
 * destination) and allows a connection when both allow it; Bulkhead decides a flow once,
 * by the first tier that allows or denies. The import therefore writes only `deny` tiers,
 * one per way a direction can refuse, and ends with a tier that allows everything:
 *
 * - an ANP `Deny` rule is a tier with that deny plus a `pass` for every earlier ANP rule of
 *   the direction with `Allow` or `Pass` (a matching `pass` makes the tier abstain, which
 *   is exactly "an earlier rule matched first");
 * - the NetworkPolicies of a direction are one tier: deny everything for the pods some
 *   policy selects, `pass` for what their rules allow and for every ANP `Allow`;
 * - a BANP `Deny` rule is a tier with `pass` for earlier BANP `Allow` rules, for every ANP
 *   `Allow` and for everything NetworkPolicies allow (BANP never sees a pod they select);
 * - the last tier, `default-allow`, allows the rest: pods no policy isolates accept and
 *   send anything.
 */
import { stringify } from 'yaml';
import type { Workload as BulkheadWorkload } from '../../domain/index.js';
import type { K8sProtocol } from './conn-set.js';
import type { Direction } from './evaluate.js';
import { layersOf } from './evaluate.js';
import type { TermYaml } from './import-labels.js';
import { labelKeyMapping, podTerms, workloadLabels } from './import-labels.js';
import type { SelectorContext } from './import-labels.js';
import { cidrNetwork } from './ip-cidrs.js';
import type { CidrNetwork } from './ip-cidrs.js';
import type { IpSet } from './ip-range.js';
import type { LabelSelector } from './label-selector.js';
import { selectorMatches } from './label-selector.js';
import type { AdminPeer, AdminPods, AdminPort, Cluster, PolicyPort, Workload } from './model.js';

/** A cluster's policies as a Bulkhead policy, with the workloads it speaks about. */
export interface BulkheadImport {
  /** A policy file that `loadPolicy` accepts. */
  readonly policyYaml: string;
  /** One workload per Kubernetes workload, labelled `namespace` plus its pod labels. */
  readonly workloads: BulkheadWorkload[];
  /** The Bulkhead workload name of each workload, by its connlist name (`ns/name[Kind]`). */
  readonly workloadNames: ReadonlyMap<string, string>;
  /** Kubernetes label key → Bulkhead label key. */
  readonly labelKeys: ReadonlyMap<string, string>;
  /** What the import leaves out. */
  readonly warnings: string[];
}

type Side = 'any' | readonly TermYaml[];

/** A port as either policy kind names it; `named` resolves against each destination. */
type PortSpec =
  | { readonly kind: 'range'; readonly protocol: K8sProtocol; first?: number; last?: number }
  | { readonly kind: 'named'; readonly name: string; readonly protocol?: K8sProtocol };

interface RuleYaml {
  readonly action: 'deny' | 'pass' | 'allow';
  readonly from: Side;
  readonly to: Side;
  readonly services: 'any' | readonly string[];
  readonly reason: string;
}

interface Pods {
  readonly terms: Side;
  /** The workloads the terms select (all of them for `any`). */
  readonly pods: readonly Workload[];
}

/** One rule of either policy kind, before it is placed in a tier. */
interface RuleInput {
  readonly direction: Direction;
  readonly action: RuleYaml['action'];
  readonly subject: Pods;
  readonly peer: Pods;
  readonly ports?: readonly PortSpec[];
  readonly reason: string;
}

class Importer {
  readonly networks = new Map<string, { name: string; network: CidrNetwork }>();
  readonly tiers: { name: string; rules: RuleYaml[] }[] = [];
  private readonly namespaceLabels;
  readonly namespaces: string[];

  constructor(
    readonly cluster: Cluster,
    readonly sel: SelectorContext,
  ) {
    this.namespaceLabels = layersOf(cluster).namespaceLabels;
    const names = new Set([
      ...cluster.namespaces.keys(),
      ...cluster.workloads.map((w) => w.namespace),
    ]);
    this.namespaces = [...names].sort();
  }

  namespacesOf(selector: LabelSelector): string[] {
    return this.namespaces.filter((ns) => selectorMatches(selector, this.namespaceLabels(ns)));
  }

  pods(namespaces: readonly string[], selector?: LabelSelector): Pods {
    const pods = this.cluster.workloads.filter(
      (w) => namespaces.includes(w.namespace) && (!selector || selectorMatches(selector, w.labels)),
    );
    return { terms: podTerms(this.sel, namespaces, selector), pods };
  }

  network(set: IpSet): Pods {
    if (set.length === 0) return { terms: [], pods: [] };
    const key = JSON.stringify(set);
    let entry = this.networks.get(key);
    if (!entry) {
      entry = { name: `ipblock-${this.networks.size + 1}`, network: cidrNetwork(set) };
      this.networks.set(key, entry);
    }
    return { terms: [`network:${entry.name}`], pods: [] };
  }

  adminPods(pods: AdminPods): Pods {
    const namespaces = this.namespacesOf(pods.namespaceSelector);
    return pods.kind === 'namespaces'
      ? this.pods(namespaces)
      : this.pods(namespaces, pods.podSelector);
  }

  adminPeers(peers: readonly AdminPeer[]): Pods {
    const parts = peers.map((peer): Pods => {
      switch (peer.kind) {
        case 'namespaces':
        case 'pods':
          return this.adminPods(peer);
        case 'networks':
          return this.network(peer.addresses);
        case 'nodes':
          return { terms: [], pods: [] };
      }
    });
    return unionPods(parts);
  }

  /** The Bulkhead rules of one Kubernetes rule (several when named ports resolve apart). */
  rules(input: RuleInput): RuleYaml[] {
    const { subject, peer, direction } = input;
    const [from, to] = direction === 'egress' ? [subject, peer] : [peer, subject];
    if (from.terms.length === 0 || to.terms.length === 0) return [];
    const base = { action: input.action, from: from.terms, to: to.terms, reason: input.reason };
    if (!input.ports) return [{ ...base, services: 'any' }];

    const out: RuleYaml[] = [];
    const fixed = input.ports.filter((p) => p.kind === 'range').map(serviceText);
    if (fixed.length > 0) out.push({ ...base, services: [...new Set(fixed)] });

    const named = input.ports.filter((p) => p.kind === 'named');
    if (named.length === 0) return out;
    const groups = new Map<string, string[]>();
    for (const pod of to.pods) {
      const services = [...new Set(named.flatMap((p) => resolveNamed(p, pod)))].sort();
      if (services.length === 0) continue;
      const key = services.join(' ');
      groups.set(key, [...(groups.get(key) ?? []), `workload:${this.sel.names.get(pod) ?? ''}`]);
    }
    for (const [services, names] of groups) {
      out.push({ ...base, to: names, services: services.split(' ') });
    }
    return out;
  }

  addTier(name: string, rules: readonly RuleYaml[]): void {
    if (rules.some((rule) => rule.action === 'deny')) this.tiers.push({ name, rules: [...rules] });
  }
}

function unionPods(parts: readonly Pods[]): Pods {
  if (parts.some((p) => p.terms === 'any'))
    return { terms: 'any', pods: parts.flatMap((p) => p.pods) };
  return {
    terms: parts.flatMap((p) => (p.terms === 'any' ? [] : p.terms)),
    pods: [...new Set(parts.flatMap((p) => p.pods))],
  };
}

function serviceText(port: PortSpec): string {
  const protocol = (port.protocol ?? 'TCP').toLowerCase();
  if (port.kind === 'named' || port.first === undefined) return protocol;
  const last = port.last ?? port.first;
  return last === port.first ? `${protocol}/${port.first}` : `${protocol}/${port.first}-${last}`;
}

function resolveNamed(port: PortSpec, pod: Workload): string[] {
  if (port.kind !== 'named') return [];
  return pod.ports
    .filter((p) => p.name === port.name && (!port.protocol || p.protocol === port.protocol))
    .map((p) => `${p.protocol.toLowerCase()}/${p.port}`);
}

function policyPort(port: PolicyPort): PortSpec {
  if (typeof port.port === 'string') {
    return { kind: 'named', name: port.port, protocol: port.protocol };
  }
  if (port.port === undefined) return { kind: 'range', protocol: port.protocol };
  return {
    kind: 'range',
    protocol: port.protocol,
    first: port.port,
    last: port.endPort ?? port.port,
  };
}

function adminPort(port: AdminPort): PortSpec {
  switch (port.kind) {
    case 'number':
      return { kind: 'range', protocol: port.protocol, first: port.port, last: port.port };
    case 'range':
      return { kind: 'range', protocol: port.protocol, first: port.first, last: port.last };
    case 'named':
      return { kind: 'named', name: port.name };
  }
}

function tierName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .slice(0, 100);
}

function describe(kind: string, name: string, direction: Direction, index: number): string {
  return `${kind} ${name} ${direction} rule ${index + 1}`;
}

/** What the NetworkPolicies of a direction allow, and the pods they isolate. */
function networkPolicyRules(
  im: Importer,
  direction: Direction,
): { allows: RuleYaml[]; isolated: Pods } {
  const allows: RuleYaml[] = [];
  const isolated: Pods[] = [];
  for (const policy of im.cluster.networkPolicies) {
    const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
    if (!affects) continue;
    const subject = im.pods([policy.namespace], policy.podSelector);
    isolated.push(subject);
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    rules.forEach((rule, i) => {
      const peer = rule.peers
        ? unionPods(
            rule.peers.map((p) =>
              p.kind === 'ipBlock'
                ? im.network(p.addresses)
                : im.pods(
                    p.namespaceSelector ? im.namespacesOf(p.namespaceSelector) : [policy.namespace],
                    p.podSelector,
                  ),
            ),
          )
        : { terms: 'any' as const, pods: im.cluster.workloads };
      const reason = describe('NetworkPolicy', `${policy.namespace}/${policy.name}`, direction, i);
      const ports = rule.ports?.map(policyPort);
      allows.push(
        ...im.rules({
          direction,
          action: 'pass',
          subject,
          peer,
          reason,
          ...(ports ? { ports } : {}),
        }),
      );
    });
  }
  return { allows, isolated: unionPods(isolated) };
}

/** The deny tiers of one direction, in the order Kubernetes applies its layers. */
function directionTiers(im: Importer, direction: Direction): void {
  const earlier: RuleYaml[] = [];
  const anpAllows: RuleYaml[] = [];
  const admin = [...im.cluster.adminPolicies].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  for (const policy of admin) {
    const subject = im.adminPods(policy.subject);
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    rules.forEach((rule, i) => {
      const action = rule.action === 'Deny' ? 'deny' : 'pass';
      const reason =
        describe('AdminNetworkPolicy', policy.name, direction, i) + ` (${rule.action})`;
      const ports = rule.ports?.map(adminPort);
      const input = {
        direction,
        action,
        subject,
        peer: im.adminPeers(rule.peers),
        reason,
      } as const;
      const made = im.rules(ports ? { ...input, ports } : input);
      if (rule.action === 'Deny')
        im.addTier(tierName(`anp-${policy.name}-${direction}-${i + 1}`), [...made, ...earlier]);
      else earlier.push(...made);
      if (rule.action === 'Allow') anpAllows.push(...made);
    });
  }

  const np = networkPolicyRules(im, direction);
  const everyone: Pods = { terms: 'any', pods: im.cluster.workloads };
  const denyIsolated = im.rules({
    direction,
    action: 'deny',
    subject: np.isolated,
    peer: everyone,
    reason: `pods a NetworkPolicy selects for ${direction} are isolated in that direction`,
  });
  im.addTier(`networkpolicy-${direction}`, [...denyIsolated, ...np.allows, ...anpAllows]);

  const baseline = im.cluster.baselinePolicy;
  if (!baseline) return;
  const subject = im.adminPods(baseline.subject);
  const baselineAllows: RuleYaml[] = [];
  (direction === 'ingress' ? baseline.ingress : baseline.egress).forEach((rule, i) => {
    const action = rule.action === 'Deny' ? 'deny' : 'pass';
    const reason =
      describe('BaselineAdminNetworkPolicy', baseline.name, direction, i) + ` (${rule.action})`;
    const ports = rule.ports?.map(adminPort);
    const input = { direction, action, subject, peer: im.adminPeers(rule.peers), reason } as const;
    const made = im.rules(ports ? { ...input, ports } : input);
    if (rule.action === 'Deny') {
      im.addTier(`banp-${direction}-${i + 1}`, [
        ...made,
        ...baselineAllows,
        ...anpAllows,
        ...np.allows,
      ]);
    } else {
      baselineAllows.push(...made);
    }
  });
}

function selectorContext(cluster: Cluster): SelectorContext {
  const keys = new Set<string>();
  const values = new Map<string, Set<string>>();
  for (const w of cluster.workloads) {
    for (const [key, value] of Object.entries(w.labels)) {
      keys.add(key);
      values.set(key, (values.get(key) ?? new Set()).add(value));
    }
  }
  for (const key of selectorKeys(cluster)) keys.add(key);

  const names = new Map<Workload, string>();
  const taken = new Set<string>();
  for (const w of cluster.workloads) {
    // `namespace/name`, as the Kubernetes inventory importer names the same workloads, so an
    // imported policy applies to the workloads `inventory import --format k8s` stored.
    const plain = `${w.namespace}/${w.name}`.replace(/[^A-Za-z0-9_.:@/-]/g, '_');
    const name = taken.has(plain) ? `${plain}@${w.kind.toLowerCase()}` : plain;
    taken.add(name);
    names.set(w, name);
  }
  const sorted = new Map([...values].map(([k, v]) => [k, [...v].sort()] as const));
  return { keys: labelKeyMapping(keys), workloads: cluster.workloads, names, values: sorted };
}

/** Every label key a pod selector of the cluster's policies names. */
function selectorKeys(cluster: Cluster): string[] {
  const selectors: LabelSelector[] = [];
  const admin = (pods: AdminPods): void => {
    if (pods.kind === 'pods') selectors.push(pods.podSelector);
  };
  for (const policy of cluster.networkPolicies) {
    selectors.push(policy.podSelector);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? [])
        if (peer.kind === 'pods' && peer.podSelector) selectors.push(peer.podSelector);
    }
  }
  for (const policy of [
    ...cluster.adminPolicies,
    ...(cluster.baselinePolicy ? [cluster.baselinePolicy] : []),
  ]) {
    admin(policy.subject);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers)
        if (peer.kind === 'pods' || peer.kind === 'namespaces') admin(peer);
    }
  }
  return selectors.flatMap((s) => [
    ...Object.keys(s.matchLabels),
    ...s.matchExpressions.map((r) => r.key),
  ]);
}

function policyDocument(im: Importer): Record<string, unknown> {
  const networks = Object.fromEntries(
    [...im.networks.values()].map(({ name, network }) => [
      name,
      network.except.length > 0
        ? { cidrs: network.cidrs, except: network.except }
        : { cidrs: network.cidrs },
    ]),
  );
  const tiers = [
    ...im.tiers,
    {
      name: 'default-allow',
      rules: [
        {
          action: 'allow' as const,
          from: 'any' as const,
          to: 'any' as const,
          services: 'any' as const,
          reason: 'a pod that no policy isolates sends and accepts every connection',
        },
      ],
    },
  ].map((tier) => ({
    name: tier.name,
    rules: tier.rules.map((rule, i) => ({ id: `${tier.name}-${i + 1}`, ...rule })),
  }));
  return { version: 1, ...(im.networks.size > 0 ? { networks } : {}), tiers };
}

function importWarnings(cluster: Cluster): string[] {
  const out: string[] = [];
  if (cluster.networks.length > 0 || cluster.multiNetworkPolicies.length > 0) {
    out.push(
      'Secondary and user-defined networks are not imported: the policy covers the pod network only',
    );
  }
  if (cluster.ingressBackends.length > 0) {
    out.push('The ingress controller is not imported: it has no workload in the policy');
  }
  return out;
}

/**
 * Turns the analysed cluster's NetworkPolicies, AdminNetworkPolicies and
 * BaselineAdminNetworkPolicy into a Bulkhead policy with the same connections between
 * workloads (see the file header for how the two models line up). Pure.
 *
 * @param input The cluster, or the result of `analyzeManifests`.
 * @returns The policy text, the workloads it speaks about and the label key mapping.
 * @example
 * const { policyYaml, workloads } = toBulkheadPolicy(analyzeManifests(documents));
 */
export function toBulkheadPolicy(input: Cluster | { readonly cluster: Cluster }): BulkheadImport {
  const cluster = 'cluster' in input ? input.cluster : input;
  const sel = selectorContext(cluster);
  const im = new Importer(cluster, sel);
  directionTiers(im, 'egress');
  directionTiers(im, 'ingress');

  const workloads = cluster.workloads.map((w): BulkheadWorkload => ({
    name: sel.names.get(w) ?? w.name,
    addresses: [],
    labels: workloadLabels(sel, w),
    discovered: false,
  }));
  const workloadNames = new Map(
    cluster.workloads.map((w) => [
      `${w.namespace}/${w.name}[${w.kind}]`,
      sel.names.get(w) ?? w.name,
    ]),
  );
  const policyYaml = stringify(policyDocument(im), { lineWidth: 0, aliasDuplicateObjects: false });
  return {
    policyYaml,
    workloads,
    workloadNames,
    labelKeys: sel.keys,
    warnings: importWarnings(cluster),
  };
}
