/**
 * Reading of NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy objects,
 * with the defaults the Kubernetes API applies (policyTypes, protocol TCP).
 */
import type { Place } from '../../domain/index.js';
import type { IpRange } from './ip-range.js';
import { ipSetOf, parseCidr } from './ip-range.js';
import type { LabelSelector } from './label-selector.js';
import { EVERYTHING } from './label-selector.js';
import type {
  AdminAction,
  AdminPeer,
  AdminPods,
  AdminPolicy,
  AdminPort,
  AdminRule,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
} from './model.js';
import type { Json, Where } from './narrow.js';
import {
  at,
  fail,
  list,
  object,
  optInteger,
  optIntOrString,
  optList,
  optObject,
  optString,
} from './narrow.js';
import { metadataOf } from './read-workloads.js';
import { checkPort, readProtocol, readSelector } from './read-selector.js';

/** Collects notes about input that is read but not analysed (IPv6 CIDRs). */
export type Warn = (message: string) => void;

function readCidrs(texts: readonly string[], where: Where, warn: Warn): IpRange[] {
  const out: IpRange[] = [];
  texts.forEach((text, i) => {
    const parsed = parseCidr(text);
    if (parsed.kind === 'error') fail(at(where, i), `"${text}": ${parsed.reason}`);
    if (parsed.kind === 'ipv6') {
      warn(
        `${where.place.file}: IPv6 CIDR "${text}" at ${where.path.replace(/^\./, '')} is not analysed`,
      );
      return;
    }
    out.push(parsed.range);
  });
  return out;
}

function strings(value: unknown, where: Where): string[] {
  return list(value, where).map((v, i) => optString(v, at(where, i)) ?? '');
}

function readPeer(value: unknown, where: Where, warn: Warn): PolicyPeer | undefined {
  const obj = object(value, where);
  const block = optObject(obj.ipBlock, at(where, 'ipBlock'));
  const podSelector = readSelector(obj.podSelector, at(where, 'podSelector'));
  const namespaceSelector = readSelector(obj.namespaceSelector, at(where, 'namespaceSelector'));
  if (block) {
    if (podSelector || namespaceSelector) {
      fail(where, 'a peer with ipBlock may not also have podSelector or namespaceSelector');
    }
    const cidr = optString(block.cidr, at(where, 'ipBlock.cidr'));
    if (cidr === undefined) fail(at(where, 'ipBlock.cidr'), 'an ipBlock needs a cidr');
    const ranges = readCidrs([cidr], at(where, 'ipBlock.cidr'), warn);
    if (ranges.length === 0) return undefined;
    const except = readCidrs(
      strings(block.except, at(where, 'ipBlock.except')),
      at(where, 'ipBlock.except'),
      warn,
    );
    return { kind: 'ipBlock', addresses: ipSetOf(ranges, except) };
  }
  if (!podSelector && !namespaceSelector) {
    fail(where, 'a peer needs podSelector, namespaceSelector or ipBlock');
  }
  return {
    kind: 'pods',
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}

function readPolicyPort(value: unknown, where: Where): PolicyPort {
  const obj = object(value, where);
  const protocol = readProtocol(obj.protocol, at(where, 'protocol'));
  const port = optIntOrString(obj.port, at(where, 'port'));
  const endPort = optInteger(obj.endPort, at(where, 'endPort'));
  if (typeof port === 'number') checkPort(port, at(where, 'port'));
  if (endPort !== undefined) {
    if (typeof port !== 'number') fail(at(where, 'endPort'), 'endPort needs a numeric port');
    if (endPort < port) fail(at(where, 'endPort'), `endPort ${endPort} is less than port ${port}`);
    checkPort(endPort, at(where, 'endPort'));
  }
  return {
    protocol,
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
  };
}

function readPolicyRule(value: unknown, peersKey: string, where: Where, warn: Warn): PolicyRule {
  const obj = object(value, where);
  const peerList = optList(obj[peersKey], at(where, peersKey));
  const portList = optList(obj.ports, at(where, 'ports'));
  const peers =
    peerList && peerList.length > 0
      ? peerList.flatMap((p, i) => readPeer(p, at(at(where, peersKey), i), warn) ?? [])
      : undefined;
  const ports =
    portList && portList.length > 0
      ? portList.map((p, i) => readPolicyPort(p, at(at(where, 'ports'), i)))
      : undefined;
  return { ...(peers ? { peers } : {}), ...(ports ? { ports } : {}) };
}

/** A networking.k8s.io/v1 NetworkPolicy. */
export function readNetworkPolicy(obj: Json, place: Place, warn: Warn): NetworkPolicy {
  const where: Where = { place, path: '' };
  const { name, namespace } = metadataOf(obj, where);
  const spec = object(obj.spec, at(where, 'spec'));
  const podSelector = readSelector(spec.podSelector, at(where, 'spec.podSelector')) ?? EVERYTHING;
  const ingress = list(spec.ingress, at(where, 'spec.ingress')).map((r, i) =>
    readPolicyRule(r, 'from', at(at(where, 'spec.ingress'), i), warn),
  );
  const egress = list(spec.egress, at(where, 'spec.egress')).map((r, i) =>
    readPolicyRule(r, 'to', at(at(where, 'spec.egress'), i), warn),
  );

  // Without policyTypes the API server sets Ingress always, and Egress when the
  // policy has egress rules.
  const types = optList(spec.policyTypes, at(where, 'spec.policyTypes'));
  const typeNames = types?.map((t, i) => optString(t, at(at(where, 'spec.policyTypes'), i)));
  for (const [i, t] of (typeNames ?? []).entries()) {
    if (t !== 'Ingress' && t !== 'Egress') {
      fail(at(at(where, 'spec.policyTypes'), i), `"${t}" is not Ingress or Egress`);
    }
  }
  const affectsIngress = typeNames ? typeNames.includes('Ingress') : true;
  const affectsEgress = typeNames ? typeNames.includes('Egress') : egress.length > 0;
  return { namespace, name, podSelector, affectsIngress, affectsEgress, ingress, egress, place };
}

function readAdminPods(value: unknown, where: Where): AdminPods {
  const obj = object(value, where);
  const namespaces = readSelector(obj.namespaces, at(where, 'namespaces'));
  const pods = optObject(obj.pods, at(where, 'pods'));
  if (namespaces && pods) fail(where, 'give either namespaces or pods, not both');
  if (namespaces) return { kind: 'namespaces', namespaceSelector: namespaces };
  if (!pods) fail(where, 'expected namespaces or pods');
  const namespaceSelector = readSelector(
    pods.namespaceSelector,
    at(where, 'pods.namespaceSelector'),
  );
  const podSelector = readSelector(pods.podSelector, at(where, 'pods.podSelector'));
  return {
    kind: 'pods',
    namespaceSelector: namespaceSelector ?? EVERYTHING,
    podSelector: podSelector ?? EVERYTHING,
  };
}

function readAdminPeer(value: unknown, where: Where, warn: Warn): AdminPeer | undefined {
  const obj = object(value, where);
  if (obj.networks !== undefined) {
    const w = at(where, 'networks');
    return { kind: 'networks', addresses: ipSetOf(readCidrs(strings(obj.networks, w), w, warn)) };
  }
  if (obj.nodes !== undefined) return { kind: 'nodes' };
  return readAdminPods(value, where);
}

function readAdminPort(value: unknown, where: Where): AdminPort {
  const obj = object(value, where);
  const number = optObject(obj.portNumber, at(where, 'portNumber'));
  if (number) {
    const port = optInteger(number.port, at(where, 'portNumber.port'));
    if (port === undefined) fail(at(where, 'portNumber.port'), 'portNumber needs a port');
    const protocol = readProtocol(number.protocol, at(where, 'portNumber.protocol'));
    return { kind: 'number', protocol, port: checkPort(port, at(where, 'portNumber.port')) };
  }
  const named = optString(obj.namedPort, at(where, 'namedPort'));
  if (named !== undefined) return { kind: 'named', name: named };
  const range = optObject(obj.portRange, at(where, 'portRange'));
  if (!range) fail(where, 'expected portNumber, namedPort or portRange');
  const first = optInteger(range.start, at(where, 'portRange.start'));
  const last = optInteger(range.end, at(where, 'portRange.end'));
  if (first === undefined || last === undefined)
    fail(at(where, 'portRange'), 'a port range needs start and end');
  if (first > last) fail(at(where, 'portRange'), `start ${first} is greater than end ${last}`);
  const protocol = readProtocol(range.protocol, at(where, 'portRange.protocol'));
  checkPort(first, at(where, 'portRange.start'));
  checkPort(last, at(where, 'portRange.end'));
  return { kind: 'range', protocol, first, last };
}

const ACTIONS: readonly AdminAction[] = ['Allow', 'Deny', 'Pass'];

function readAdminRule(
  value: unknown,
  peersKey: string,
  where: Where,
  baseline: boolean,
  warn: Warn,
): AdminRule {
  const obj = object(value, where);
  const name = optString(obj.name, at(where, 'name')) ?? '';
  const action = ACTIONS.find((a) => a === obj.action);
  if (action === undefined || (baseline && action === 'Pass')) {
    const allowed = baseline ? 'Allow or Deny' : 'Allow, Deny or Pass';
    fail(at(where, 'action'), `action ${JSON.stringify(obj.action)} is not ${allowed}`);
  }
  const peerList = list(obj[peersKey], at(where, peersKey));
  if (peerList.length === 0) fail(at(where, peersKey), 'a rule needs at least one peer');
  const peers = peerList.flatMap(
    (p, i) => readAdminPeer(p, at(at(where, peersKey), i), warn) ?? [],
  );
  const portList = optList(obj.ports, at(where, 'ports'));
  const ports = portList?.map((p, i) => readAdminPort(p, at(at(where, 'ports'), i)));
  return { name, action, peers, ...(ports ? { ports } : {}) };
}

/**
 * An AdminNetworkPolicy or, with `baseline`, the BaselineAdminNetworkPolicy (which has no
 * priority and no Pass action).
 */
export function readAdminPolicy(
  obj: Json,
  place: Place,
  baseline: boolean,
  warn: Warn,
): AdminPolicy {
  const where: Where = { place, path: '' };
  const { name } = metadataOf(obj, where);
  const spec = object(obj.spec, at(where, 'spec'));
  const priority = optInteger(spec.priority, at(where, 'spec.priority'));
  if (!baseline && (priority === undefined || priority < 0 || priority > 1000)) {
    fail(at(where, 'spec.priority'), 'an AdminNetworkPolicy needs a priority from 0 to 1000');
  }
  const subject = readAdminPods(spec.subject, at(where, 'spec.subject'));
  const ingress = list(spec.ingress, at(where, 'spec.ingress')).map((r, i) =>
    readAdminRule(r, 'from', at(at(where, 'spec.ingress'), i), baseline, warn),
  );
  const egress = list(spec.egress, at(where, 'spec.egress')).map((r, i) =>
    readAdminRule(r, 'to', at(at(where, 'spec.egress'), i), baseline, warn),
  );
  if (ingress.length > 100 || egress.length > 100) {
    fail(at(where, 'spec'), 'an admin policy may hold at most 100 rules per direction');
  }
  return { name, subject, ingress, egress, place, ...(priority !== undefined ? { priority } : {}) };
}

export type { LabelSelector };
