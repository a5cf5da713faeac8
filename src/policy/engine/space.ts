import { hasPorts, isIcmp, protocolName } from '../../domain/index.js';
import type { Address, Endpoint, Policy, ServiceEntry, Workload } from '../../domain/index.js';

import { V4_MAX, V6_MAX, addressKey, keyText } from './address-key.js';
import type { KeyRange } from './address-key.js';
import { compileSelector, termHolds } from './compiled-selector.js';
import type { CompiledTerm } from './compiled-selector.js';
import { compareKeys, successor } from './interval-index.js';

/** One endpoint of the space: a workload at one of its addresses, or an outside region. */
export interface SpaceEndpoint {
  readonly endpoint: Endpoint;
  /** The workload, absent for an outside region. */
  readonly workload?: Workload;
  /** How an outside region is named: its networks and prefixes, or `other-addresses`. */
  readonly region?: string;
  /** The class of endpoints every selector treats alike. */
  readonly cls: number;
}

/** One service class: protocol, port (ICMP: type) and code values every rule treats alike. */
export interface ServiceAtom {
  readonly protocol: number;
  /** A question that stands for the atom. */
  readonly port: number;
  readonly icmpCode?: number;
  /** Port protocols: the ports of the atom. */
  readonly first: number;
  readonly last: number;
  /** Whether the protocol carries ports (so adjacent atoms can merge into a range). */
  readonly ranged: boolean;
  readonly text: string;
}

/**
 * The finite space in which policies are compared exactly: every workload at every
 * address, the outside address regions that the policies' prefixes and networks cut,
 * and the service atoms their services cut. Endpoints that every selector of the policies
 * treats alike share a class, so a question asked for one class member holds for all.
 */
export interface PolicySpace {
  readonly endpoints: readonly SpaceEndpoint[];
  /** A representative endpoint per class. */
  readonly classes: readonly Endpoint[];
  readonly services: readonly ServiceAtom[];
}

/**
 * Builds the space of some policies over an inventory.
 *
 * @param policies The policies whose selectors and services cut the space.
 * @param workloads The inventory.
 * @param extra Services to cut out as atoms of their own (lint asks about udp/53).
 */
export function createPolicySpace(
  policies: readonly Policy[],
  workloads: readonly Workload[],
  extra: readonly ServiceEntry[] = [],
): PolicySpace {
  const terms = collectTerms(policies);
  const endpoints: { endpoint: Endpoint; workload?: Workload; region?: string }[] = [];
  for (const workload of workloads) {
    const base = { name: workload.name, labels: workload.labels };
    if (workload.addresses.length === 0) endpoints.push({ endpoint: base, workload });
    for (const address of workload.addresses) {
      endpoints.push({ endpoint: { ...base, address }, workload });
    }
  }
  const taken = new Set(workloads.flatMap((workload) => workload.addresses as readonly string[]));
  endpoints.push(...outsideRegions(terms, taken));

  const signatures = new Map<string, number>();
  const classes: Endpoint[] = [];
  const classed = endpoints.map((item): SpaceEndpoint => {
    const key = addressKey(item.endpoint.address ?? '');
    const signature = terms
      .map((term) => (termHolds(term, item.endpoint, key) ? '1' : '0'))
      .join('');
    let cls = signatures.get(signature);
    if (cls === undefined) {
      cls = classes.length;
      signatures.set(signature, cls);
      classes.push(item.endpoint);
    }
    return { ...item, cls };
  });

  const entries = policies.flatMap((policy) =>
    policy.tiers.flatMap((tier) =>
      tier.rules.flatMap((rule) => (rule.services === 'any' ? [] : rule.services)),
    ),
  );
  return { endpoints: classed, classes, services: serviceAtoms([...entries, ...extra]) };
}

function collectTerms(policies: readonly Policy[]): CompiledTerm[] {
  const out = new Map<string, CompiledTerm>();
  for (const policy of policies) {
    for (const rule of policy.tiers.flatMap((tier) => tier.rules)) {
      for (const term of [
        ...compileSelector(policy, rule.from),
        ...compileSelector(policy, rule.to),
      ]) {
        out.set(termKey(term), term);
      }
    }
  }
  return [...out.values()];
}

function termKey(term: CompiledTerm): string {
  const ranges = (list: readonly KeyRange<number | bigint>[]): string =>
    list.map((range) => `${range.lo}-${range.hi}`).join(',');
  switch (term.kind) {
    case 'any':
      return 'any';
    case 'name':
      return `name:${term.name}`;
    case 'address':
      return `address:${ranges(term.v4)}|${ranges(term.v6)}`;
    case 'labels': {
      const side = (labels: { keys: readonly string[]; values: readonly ReadonlySet<string>[] }) =>
        labels.keys
          .map((key, index) => `${key}=${[...(labels.values[index] ?? [])].sort().join('|')}`)
          .sort()
          .join(';');
      return `labels:${side(term.match)}!${term.not === undefined ? '' : side(term.not)}`;
    }
  }
}

/**
 * The outside regions: address ranges cut at every prefix boundary, grouped by the
 * address terms that hold them. Each region is represented by an address no workload
 * has, and named after its terms.
 */
function outsideRegions(
  terms: readonly CompiledTerm[],
  taken: ReadonlySet<string>,
): { endpoint: Endpoint; region: string }[] {
  const addressTerms = terms.filter((term) => term.kind === 'address');
  const groups = new Map<string, { names: Set<string>; address: string; range: string }>();
  for (const family of [4, 6] as const) {
    for (const interval of elementaryIntervals(addressTerms, family)) {
      const address = freeAddress(family, interval, taken);
      if (address === undefined) continue;
      const key = addressKey(address)!;
      const holding = addressTerms.filter((term) => termHolds(term, {}, key));
      const signature = holding.map((term) => addressTerms.indexOf(term)).join(',');
      const group = groups.get(signature);
      if (group !== undefined) continue;
      const names = new Set(holding.map((term) => (term.kind === 'address' ? term.text : '')));
      const range = `${keyText(family, interval.lo)}-${keyText(family, interval.hi)}`;
      groups.set(signature, { names, address, range });
    }
  }

  const named = [...groups.values()].map((group) => ({
    ...group,
    name: group.names.size === 0 ? 'other-addresses' : [...group.names].sort().join(' & '),
  }));
  const counts = new Map<string, number>();
  for (const group of named) counts.set(group.name, (counts.get(group.name) ?? 0) + 1);
  return named.map((group) => ({
    endpoint: { address: group.address as Address },
    region: (counts.get(group.name) ?? 0) > 1 ? `${group.name} (${group.range})` : group.name,
  }));
}

function elementaryIntervals(
  terms: readonly CompiledTerm[],
  family: 4 | 6,
): KeyRange<number | bigint>[] {
  const max: number | bigint = family === 4 ? V4_MAX : V6_MAX;
  const cuts = new Set<number | bigint>([family === 4 ? 0 : 0n]);
  for (const term of terms) {
    if (term.kind !== 'address') continue;
    const ranges: readonly KeyRange<number | bigint>[] = family === 4 ? term.v4 : term.v6;
    for (const range of ranges) {
      cuts.add(range.lo);
      if (range.hi < max) cuts.add(successor(range.hi));
    }
  }
  const sorted = [...cuts].sort(compareKeys);
  return sorted.map((lo, index) => {
    const next = sorted[index + 1];
    const hi = next === undefined ? max : typeof next === 'bigint' ? next - 1n : next - 1;
    return { lo, hi };
  });
}

/** The lowest address of an interval that no workload has, as text. */
function freeAddress(
  family: 4 | 6,
  interval: KeyRange<number | bigint>,
  taken: ReadonlySet<string>,
): string | undefined {
  let key = interval.lo;
  for (let tries = 0; tries <= taken.size; tries++) {
    if (key > interval.hi) return undefined;
    const text = keyText(family, key);
    if (!taken.has(text)) return text;
    key = successor(key);
  }
  return undefined;
}

/** Service atoms cut by the entries' protocols, port ranges, ICMP types and codes. */
export function serviceAtoms(entries: readonly ServiceEntry[]): ServiceAtom[] {
  const protocols = [
    ...new Set(entries.flatMap((entry) => (entry.protocol === 'any' ? [] : [entry.protocol]))),
  ].sort((a, b) => a - b);
  const atoms = protocols.flatMap((protocol) => {
    const same = entries.filter((entry) => entry.protocol === protocol);
    if (hasPorts(protocol)) return portAtoms(protocol, same);
    if (isIcmp(protocol)) return icmpAtoms(protocol, same);
    return [single(protocol, protocolName(protocol))];
  });

  const named = new Set(protocols);
  let other = 0;
  while (named.has(other) && other < 255) other++;
  if (!named.has(other))
    atoms.push(single(other, protocols.length === 0 ? 'any' : 'other-protocols'));
  return atoms;
}

function single(protocol: number, text: string): ServiceAtom {
  return { protocol, port: 0, first: 0, last: 0, ranged: false, text };
}

function portAtoms(protocol: number, entries: readonly ServiceEntry[]): ServiceAtom[] {
  const cuts = new Set([1]);
  for (const range of entries.flatMap((entry) => entry.ports ?? [])) {
    cuts.add(range.first);
    if (range.last < 65535) cuts.add(range.last + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.map((first, index) => {
    const last = (sorted[index + 1] ?? 65536) - 1;
    return {
      protocol,
      port: first,
      first,
      last,
      ranged: true,
      text: portText(protocol, first, last),
    };
  });
}

/** `tcp/80`, `tcp/80-81`, or `tcp` for every port. */
export function portText(protocol: number, first: number, last: number): string {
  const name = protocolName(protocol);
  if (first === 1 && last === 65535) return name;
  return first === last ? `${name}/${first}` : `${name}/${first}-${last}`;
}

function icmpAtoms(protocol: number, entries: readonly ServiceEntry[]): ServiceAtom[] {
  const name = protocolName(protocol);
  const types = [
    ...new Set(entries.flatMap((entry) => (entry.icmpType === undefined ? [] : [entry.icmpType]))),
  ].sort((a, b) => a - b);
  const atoms = types.flatMap((type) => {
    const codes = [
      ...new Set(
        entries.flatMap((entry) =>
          entry.icmpType === type && entry.icmpCode !== undefined ? [entry.icmpCode] : [],
        ),
      ),
    ].sort((a, b) => a - b);
    const named = codes.map((code) => ({
      ...single(protocol, `${name}/${type}/${code}`),
      port: type,
      icmpCode: code,
    }));
    const rest = {
      ...single(protocol, codes.length === 0 ? `${name}/${type}` : `${name}/${type}/other-codes`),
      port: type,
    };
    return [...named, rest];
  });
  let other = 0;
  while (types.includes(other) && other < 255) other++;
  if (!types.includes(other)) {
    atoms.push({
      ...single(protocol, types.length === 0 ? name : `${name}/other-types`),
      port: other,
    });
  }
  return atoms;
}
