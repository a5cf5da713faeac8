// Builds small Policy values for unit tables, where a YAML file per row would
// hide the one field each row is about. Golden scenarios use policy.yaml.
import { parseCidr } from '../../domain/index.js';
import type {
  Mode,
  Network,
  Policy,
  Rule,
  RuleAction,
  Selector,
  SelectorTerm,
  ServiceEntry,
} from '../../domain/index.js';

/** A selector from short forms: 'any', 'network:x', 'workload:x', a CIDR, or a label map. */
export function selectorForTest(
  ...terms: readonly (string | Readonly<Record<string, string | readonly string[]>>)[]
): Selector {
  return terms.map((term): SelectorTerm => {
    if (typeof term !== 'string') {
      const match = Object.fromEntries(
        Object.entries(term).map(([key, value]) => [key, typeof value === 'string' ? [value] : value]),
      );
      return { kind: 'labels', match };
    }
    if (term === 'any') return { kind: 'any' };
    if (term.startsWith('network:')) return { kind: 'network', name: term.slice(8) };
    if (term.startsWith('workload:')) return { kind: 'workload', name: term.slice(9) };
    if (term.startsWith('segment:')) return { kind: 'segment', name: term.slice(8) };
    return { kind: 'cidr', cidr: parseCidr(term) };
  });
}

/** Services from short forms: 'tcp/443', 'tcp/8000-8080', 'udp', 'icmp/8', 'icmp/3/4', 'any'. */
export function servicesForTest(...texts: readonly string[]): Rule['services'] {
  if (texts.includes('any')) return 'any';
  return texts.map((text): ServiceEntry => {
    const [name = '', first, second] = text.split('/');
    const protocol = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 }[name] ?? Number(name);
    if (protocol === 1 || protocol === 58) {
      if (first === undefined) return { protocol };
      const base = { protocol, icmpType: Number(first) };
      return second === undefined ? base : { ...base, icmpCode: Number(second) };
    }
    if (first === undefined) return { protocol };
    const ports = first.split(',').map((part) => {
      const [low = '0', high = low] = part.split('-');
      return { first: Number(low), last: Number(high) };
    });
    return { protocol, ports };
  });
}

/** One rule with short forms for selectors and services. */
export function ruleForTest(
  id: string,
  action: RuleAction,
  from: Selector,
  to: Selector,
  services: Rule['services'],
  expires?: number,
): Rule {
  const rule: Rule = { id, action, from, to, services };
  return expires === undefined ? rule : { ...rule, expires };
}

/** A policy from tiers, networks and modes; everything else empty. */
export function policyForTest(input: {
  readonly tiers: readonly { readonly name: string; readonly rules: readonly Rule[] }[];
  readonly networks?: readonly { name: string; cidrs: string[]; except?: string[] }[];
  readonly modes?: readonly { scope: Selector; mode: Mode }[];
}): Policy {
  const networks = new Map<string, Network>(
    (input.networks ?? []).map((network) => [
      network.name,
      {
        name: network.name,
        cidrs: network.cidrs.map(parseCidr),
        except: (network.except ?? []).map(parseCidr),
      },
    ]),
  );
  return {
    version: 1,
    services: new Map(),
    networks,
    segments: new Map(),
    modes: input.modes ?? [],
    tiers: input.tiers,
    tests: [],
  };
}
