import { cidrContains } from '../domain/index.js';
import type {
  Address,
  Cidr,
  Endpoint,
  LabelMatch,
  LabelSet,
  Network,
  Policy,
  Selector,
  SelectorTerm,
  Workload,
} from '../domain/index.js';

function labelsMatch(match: LabelMatch, labels: LabelSet): boolean {
  for (const [key, values] of Object.entries(match)) {
    const value = labels[key];
    if (value === undefined || !values.includes(value)) return false;
  }
  return true;
}

/** Whether an address lies in a network: inside one of its prefixes and none of its exceptions. */
export function networkContains(network: Network, address: Address): boolean {
  if (!network.cidrs.some((cidr) => cidrContains(cidr, address))) return false;
  return !network.except.some((cidr) => cidrContains(cidr, address));
}

function termSelects(
  policy: Policy,
  term: SelectorTerm,
  endpoint: Endpoint,
  depth: number,
): boolean {
  switch (term.kind) {
    case 'any':
      return true;
    case 'labels': {
      if (endpoint.labels === undefined) return false;
      if (!labelsMatch(term.match, endpoint.labels)) return false;
      return term.not === undefined || !labelsMatch(term.not, endpoint.labels);
    }
    case 'workload':
      return endpoint.name === term.name;
    case 'network': {
      const network = policy.networks.get(term.name);
      return (
        network !== undefined &&
        endpoint.address !== undefined &&
        networkContains(network, endpoint.address)
      );
    }
    case 'segment': {
      const segment = policy.segments.get(term.name);
      // Segments may name segments; validation rejects cycles, the depth guard keeps this total.
      return (
        segment !== undefined && depth < 8 && selectsAt(policy, segment.select, endpoint, depth + 1)
      );
    }
    case 'cidr':
      return endpoint.address !== undefined && cidrContains(term.cidr, endpoint.address);
  }
}

function selectsAt(policy: Policy, selector: Selector, endpoint: Endpoint, depth: number): boolean {
  return selector.some((term) => termSelects(policy, term, endpoint, depth));
}

/**
 * Whether a selector matches an endpoint. Label terms match the endpoint's labels,
 * workload terms its name, networks and prefixes its address.
 */
export function selectsEndpoint(policy: Policy, selector: Selector, endpoint: Endpoint): boolean {
  return selectsAt(policy, selector, endpoint, 0);
}

/** The endpoint a workload stands for when it uses one of its addresses. */
export function workloadEndpoint(workload: Workload, address?: Address): Endpoint {
  const base = { name: workload.name, labels: workload.labels };
  return address === undefined ? base : { ...base, address };
}

/**
 * Whether a selector matches a workload through its name, its labels or any of its
 * addresses.
 */
export function selectsWorkload(policy: Policy, selector: Selector, workload: Workload): boolean {
  if (selectsEndpoint(policy, selector, workloadEndpoint(workload))) return true;
  return workload.addresses.some((address) =>
    selectsEndpoint(policy, selector, workloadEndpoint(workload, address)),
  );
}

/**
 * The address prefixes a selector names directly (networks and CIDRs, segments followed),
 * each with the exceptions that apply to it. Label and workload terms contribute nothing
 * here; callers add the addresses of the workloads the selector selects.
 */
export function selectorPrefixes(
  policy: Policy,
  selector: Selector,
): readonly { readonly cidrs: readonly Cidr[]; readonly except: readonly Cidr[] }[] {
  const out: { cidrs: readonly Cidr[]; except: readonly Cidr[] }[] = [];
  const visit = (sel: Selector, depth: number): void => {
    for (const term of sel) {
      if (term.kind === 'cidr') out.push({ cidrs: [term.cidr], except: [] });
      if (term.kind === 'network') {
        const network = policy.networks.get(term.name);
        if (network) out.push({ cidrs: network.cidrs, except: network.except });
      }
      if (term.kind === 'segment' && depth < 8) {
        const segment = policy.segments.get(term.name);
        if (segment) visit(segment.select, depth + 1);
      }
    }
  };
  visit(selector, 0);
  return out;
}

/** Whether a selector contains `any` (directly or through a segment). */
export function selectsAny(policy: Policy, selector: Selector): boolean {
  return selector.some((term) => {
    if (term.kind === 'any') return true;
    if (term.kind !== 'segment') return false;
    const segment = policy.segments.get(term.name);
    return segment !== undefined && selectsAny(policy, segment.select);
  });
}

function namesTerm(
  policy: Policy,
  selector: Selector,
  kinds: readonly string[],
  depth = 0,
): boolean {
  return selector.some((term) => {
    if (kinds.includes(term.kind)) return true;
    if (term.kind !== 'segment' || depth > 8) return false;
    const segment = policy.segments.get(term.name);
    return segment !== undefined && namesTerm(policy, segment.select, kinds, depth + 1);
  });
}

/**
 * A memoised `selectsWorkload` for compiling and analysing whole estates: workloads with
 * the same labels are one kind for a selector that names no workload or address, so each
 * selector is decided once per kind instead of once per workload.
 */
export function createSelectionCache(
  policy: Policy,
): (selector: Selector, workload: Workload) => boolean {
  const bySelector = new Map<
    Selector,
    { byName: boolean; byAddress: boolean; results: Map<string, boolean> }
  >();
  return (selector, workload) => {
    let entry = bySelector.get(selector);
    if (!entry) {
      entry = {
        byName: namesTerm(policy, selector, ['workload']),
        byAddress: namesTerm(policy, selector, ['cidr', 'network']),
        results: new Map(),
      };
      bySelector.set(selector, entry);
    }
    let key = JSON.stringify(workload.labels);
    if (entry.byName) key += `|${workload.name}`;
    if (entry.byAddress) key += `|${workload.addresses.join(',')}`;
    let hit = entry.results.get(key);
    if (hit === undefined) {
      hit = selectsWorkload(policy, selector, workload);
      entry.results.set(key, hit);
    }
    return hit;
  };
}
