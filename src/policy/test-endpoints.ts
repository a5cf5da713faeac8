import ipaddr from 'ipaddr.js';

import { parseAddress } from '../domain/index.js';
import type {
  Address,
  Endpoint,
  Network,
  Policy,
  Selector,
  SelectorTerm,
  Workload,
} from '../domain/index.js';

import { networkContains, selectsEndpoint, workloadEndpoint } from './select.js';

/** An endpoint a policy test checks, with how to name it in a failure. */
export interface TestEndpoint {
  readonly label: string;
  readonly endpoint: Endpoint;
}

/**
 * The endpoints a test side stands for. Selected workloads come first, each with the
 * addresses through which the selector selects it. When no workload is selected, each
 * term stands for one hypothetical endpoint: labels as a workload with those labels, a
 * network or CIDR as its first address, a workload name as that name alone.
 */
export function sideEndpoints(
  policy: Policy,
  selector: Selector,
  workloads: readonly Workload[],
): TestEndpoint[] {
  const selected = workloads.flatMap((workload) => workloadEndpoints(policy, selector, workload));
  if (selected.length > 0) return selected;
  return selector.flatMap((term) => termEndpoints(policy, term, 0));
}

function workloadEndpoints(policy: Policy, selector: Selector, workload: Workload): TestEndpoint[] {
  const endpoints =
    workload.addresses.length === 0
      ? [workloadEndpoint(workload)]
      : workload.addresses.map((address) => workloadEndpoint(workload, address));
  const several = endpoints.length > 1;

  return endpoints
    .filter((endpoint) => selectsEndpoint(policy, selector, endpoint))
    .map((endpoint) => ({
      label: several ? `${workload.name} (${endpoint.address ?? ''})` : workload.name,
      endpoint,
    }));
}

function termEndpoints(policy: Policy, term: SelectorTerm, depth: number): TestEndpoint[] {
  switch (term.kind) {
    case 'any':
      return [{ label: 'any', endpoint: {} }];
    case 'labels': {
      const labels = Object.fromEntries(
        Object.entries(term.match).map(([key, values]) => [key, values[0] ?? '']),
      );
      const label = `{${Object.entries(labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(',')}}`;
      return [{ label, endpoint: { labels } }];
    }
    case 'workload':
      return [{ label: `workload:${term.name}`, endpoint: { name: term.name } }];
    case 'network': {
      const network = policy.networks.get(term.name);
      const address = network === undefined ? undefined : firstAddress(network);
      if (address === undefined) return [];
      return [{ label: `network:${term.name} (${address})`, endpoint: { address } }];
    }
    case 'cidr': {
      const address = parseAddress(term.cidr.slice(0, term.cidr.indexOf('/')));
      return [{ label: term.cidr, endpoint: { address } }];
    }
    case 'segment': {
      const segment = policy.segments.get(term.name);
      if (segment === undefined || depth >= 8) return [];
      return segment.select.flatMap((inner) => termEndpoints(policy, inner, depth + 1));
    }
  }
}

/**
 * The lowest address of a network that its exceptions leave in: the first address of a
 * prefix, or the address right after an exception.
 */
export function firstAddress(network: Network): Address | undefined {
  const candidates = [
    ...network.cidrs.map((cidr) => cidr.slice(0, cidr.indexOf('/'))),
    ...network.except.flatMap((cidr) => addressAfter(cidr) ?? []),
  ].map((text) => parseAddress(text));
  return candidates.find((address) => networkContains(network, address));
}

function addressAfter(cidr: string): string | undefined {
  const [base, length] = ipaddr.parseCIDR(cidr);
  const bytes = base.toByteArray();
  const hostBits = bytes.length * 8 - length;

  // Set every host bit (the prefix's last address), then add one with carry.
  for (let bit = 0; bit < hostBits; bit++) {
    const index = bytes.length - 1 - Math.floor(bit / 8);
    bytes[index] = (bytes[index] ?? 0) | (1 << (bit % 8));
  }
  for (let index = bytes.length - 1; index >= 0; index--) {
    const next = ((bytes[index] ?? 0) + 1) & 0xff;
    bytes[index] = next;
    if (next !== 0) return ipaddr.fromByteArray(bytes).toString();
  }
  return undefined; // the exception ends at the last address of the family
}
