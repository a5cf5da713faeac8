/**
 * What one side of a connection allows: egress at the source pod, ingress at the
 * destination pod. The layers follow the Kubernetes network policy API:
 *
 * 1. AdminNetworkPolicies by ascending priority, each rule in order; the first rule that
 *    matches a connection decides it (Allow, Deny, or Pass to skip the remaining ANPs).
 * 2. NetworkPolicies: if any selects the pod for this direction, a connection is allowed
 *    only when one of their rules allows it.
 * 3. Otherwise the BaselineAdminNetworkPolicy, first matching rule in order.
 * 4. Otherwise allowed: a pod that no policy isolates accepts everything.
 */
import type { ConnSet } from './conn-set.js';
import {
  ALL_CONNS,
  connsOf,
  intersectConns,
  isEmptyConns,
  NO_CONNS,
  subtractConns,
  unionConns,
} from './conn-set.js';
import { containsRange } from './ip-range.js';
import { selectorMatches } from './label-selector.js';
import type {
  AdminPeer,
  AdminPods,
  AdminPolicy,
  AdminPort,
  AdminRule,
  Cluster,
  ContainerPort,
  Labels,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  Workload,
} from './model.js';
import type { Peer } from './peer.js';
import { podIdentity } from './peer.js';

export type Direction = 'ingress' | 'egress';

/** The policies of a cluster in evaluation order. */
export interface PolicyLayers {
  readonly admin: readonly AdminPolicy[];
  readonly network: readonly NetworkPolicy[];
  readonly baseline?: AdminPolicy;
  readonly namespaceLabels: (namespace: string) => Labels;
}

export function layersOf(cluster: Cluster): PolicyLayers {
  const admin = [...cluster.adminPolicies].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  return {
    admin,
    network: cluster.networkPolicies,
    ...(cluster.baselinePolicy ? { baseline: cluster.baselinePolicy } : {}),
    namespaceLabels: (ns) =>
      cluster.namespaces.get(ns)?.labels ?? { 'kubernetes.io/metadata.name': ns },
  };
}

function adminSelects(pods: AdminPods, peer: Peer): boolean {
  const id = podIdentity(peer);
  if (!id) return false;
  if (!selectorMatches(pods.namespaceSelector, id.namespaceLabels)) return false;
  return pods.kind === 'namespaces' || selectorMatches(pods.podSelector, id.labels);
}

function adminPeerMatches(peer: AdminPeer, other: Peer): boolean {
  switch (peer.kind) {
    case 'namespaces':
    case 'pods':
      return adminSelects(peer, other);
    case 'networks':
      return other.kind === 'external' && containsRange(peer.addresses, other.range);
    case 'nodes':
      return false;
  }
}

function namedPorts(ports: readonly ContainerPort[], name: string): ConnSet {
  return ports
    .filter((p) => p.name === name)
    .reduce((acc, p) => unionConns(acc, connsOf(p.protocol, p.port, p.port)), NO_CONNS);
}

function adminPortConns(port: AdminPort, dstPorts: readonly ContainerPort[]): ConnSet {
  switch (port.kind) {
    case 'number':
      return connsOf(port.protocol, port.port, port.port);
    case 'range':
      return connsOf(port.protocol, port.first, port.last);
    case 'named':
      return namedPorts(dstPorts, port.name);
  }
}

function adminRuleConns(rule: AdminRule, dstPorts: readonly ContainerPort[]): ConnSet {
  if (!rule.ports) return ALL_CONNS;
  return rule.ports.reduce((acc, p) => unionConns(acc, adminPortConns(p, dstPorts)), NO_CONNS);
}

function policyPortConns(port: PolicyPort, dstPorts: readonly ContainerPort[]): ConnSet {
  if (port.port === undefined) return connsOf(port.protocol);
  if (typeof port.port === 'number') {
    return connsOf(port.protocol, port.port, port.endPort ?? port.port);
  }
  const name = port.port;
  return namedPorts(
    dstPorts.filter((p) => p.protocol === port.protocol),
    name,
  );
}

function policyPeerMatches(peer: PolicyPeer, policy: NetworkPolicy, other: Peer): boolean {
  if (peer.kind === 'ipBlock') {
    return other.kind === 'external' && containsRange(peer.addresses, other.range);
  }
  const id = podIdentity(other);
  if (!id) return false;
  const inNamespace = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, id.namespaceLabels)
    : id.namespace === policy.namespace;
  return inNamespace && (!peer.podSelector || selectorMatches(peer.podSelector, id.labels));
}

/** What the NetworkPolicies selecting `subject` allow with `other`; undefined if none selects it. */
function networkPolicyConns(
  layers: PolicyLayers,
  direction: Direction,
  subject: Workload,
  other: Peer,
  dstPorts: readonly ContainerPort[],
): ConnSet | undefined {
  let selected = false;
  let allowed = NO_CONNS;
  for (const policy of layers.network) {
    const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
    if (!affects || policy.namespace !== subject.namespace) continue;
    if (!selectorMatches(policy.podSelector, subject.labels)) continue;
    selected = true;
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (rule.peers && !rule.peers.some((p) => policyPeerMatches(p, policy, other))) continue;
      const conns = rule.ports
        ? rule.ports.reduce((acc, p) => unionConns(acc, policyPortConns(p, dstPorts)), NO_CONNS)
        : ALL_CONNS;
      allowed = unionConns(allowed, conns);
    }
  }
  return selected ? allowed : undefined;
}

/** Rules of one admin policy, first match wins; returns what each action took. */
function applyAdminRules(
  policy: AdminPolicy,
  direction: Direction,
  other: Peer,
  undecided: ConnSet,
  dstPorts: readonly ContainerPort[],
): { allowed: ConnSet; passed: ConnSet; rest: ConnSet } {
  let allowed = NO_CONNS;
  let passed = NO_CONNS;
  let rest = undecided;
  for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
    if (isEmptyConns(rest)) break;
    if (!rule.peers.some((p) => adminPeerMatches(p, other))) continue;
    const conns = intersectConns(adminRuleConns(rule, dstPorts), rest);
    if (rule.action === 'Allow') allowed = unionConns(allowed, conns);
    if (rule.action === 'Pass') passed = unionConns(passed, conns);
    rest = subtractConns(rest, conns);
  }
  return { allowed, passed, rest };
}

/**
 * The connections `subject` lets through in one direction with `other`: egress when
 * `subject` is the source, ingress when it is the destination. `dstPorts` are the
 * destination's container ports, against which named ports resolve.
 */
export function allowedConns(
  layers: PolicyLayers,
  direction: Direction,
  subject: Workload,
  other: Peer,
  dstPorts: readonly ContainerPort[],
): ConnSet {
  const self: Peer = {
    kind: 'workload',
    workload: subject,
    namespaceLabels: layers.namespaceLabels(subject.namespace),
  };

  let allowed = NO_CONNS;
  let undecided = ALL_CONNS;
  let passed = NO_CONNS;
  for (const policy of layers.admin) {
    if (isEmptyConns(undecided)) break;
    if (!adminSelects(policy.subject, self)) continue;
    const step = applyAdminRules(policy, direction, other, undecided, dstPorts);
    allowed = unionConns(allowed, step.allowed);
    passed = unionConns(passed, step.passed);
    undecided = step.rest;
  }
  let rest = unionConns(undecided, passed);

  const byNetworkPolicy = networkPolicyConns(layers, direction, subject, other, dstPorts);
  if (byNetworkPolicy) return unionConns(allowed, intersectConns(rest, byNetworkPolicy));

  const baseline = layers.baseline;
  if (baseline && adminSelects(baseline.subject, self)) {
    const step = applyAdminRules(baseline, direction, other, rest, dstPorts);
    allowed = unionConns(allowed, step.allowed);
    rest = step.rest;
  }
  return unionConns(allowed, rest);
}
