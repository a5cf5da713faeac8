import { formatService } from '../domain/index.js';
import type { Address, Cidr, Workload } from '../domain/index.js';
import type { MapEdge } from '../map/index.js';
import { servicePortName } from '../resolve/index.js';
import { INTERNAL_RANGES, isOutside, isOutsideWorkload } from './outside.js';

/** Options of a recommendation. */
export interface RecommendOptions {
  /** Label keys that form groups; empty means one rule side per workload. */
  readonly by: readonly string[];
  /** Ranges the workspace declares internal beyond the private ones. */
  readonly internal?: readonly Cidr[];
}

/** A side of a recommended rule as it is written in the policy file. */
export type SideText = string | Readonly<Record<string, string>>;

/** One rule the recommendation proposes, with its evidence. */
export interface RecommendedRule {
  readonly id: string;
  readonly from: SideText;
  readonly to: readonly SideText[];
  readonly services: readonly string[];
  readonly reason: string;
  readonly flows: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** The workload-level edges the rule allows. */
  readonly edges: readonly MapEdge[];
}

/** The recommended policy as a plain document ready for YAML, and the rules with evidence. */
export interface Recommendation {
  readonly document: Record<string, unknown>;
  readonly rules: readonly RecommendedRule[];
}

interface Side {
  readonly key: string;
  readonly text: SideText;
  readonly slug: string;
  readonly network?: { readonly name: string; readonly cidr: string };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Recommends a default-deny policy that allows exactly the observed client → server
 * services: between label groups (`by`) where workloads carry those labels, between
 * workloads otherwise; outside addresses become networks (clients: the internet;
 * servers: one network per address, so nothing broader than observed is allowed).
 *
 * @param workloads Every workload of the workspace.
 * @param edges The workload-level map edges (buildMap without `by`).
 * @param options Grouping.
 * @returns The policy document and the rules with their evidence.
 */
export function recommend(
  workloads: readonly Workload[],
  edges: readonly MapEdge[],
  options: RecommendOptions,
): Recommendation {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const sideOf = (node: string, role: 'client' | 'server'): Side =>
    describeSide(node, byName.get(node), role, options);

  // Pair the two sides, then merge rule targets that share a client and a service set.
  const pairs = new Map<string, { from: Side; to: Side; services: Map<string, MapEdge[]> }>();
  for (const edge of edges) {
    if (edge.flows === edge.rejected) continue; // only rejected by the network: not a need
    const from = sideOf(edge.client, 'client');
    const to = sideOf(edge.server, 'server');
    const key = `${from.key}|${to.key}`;
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = { from, to, services: new Map() }));
    const service = serviceText(edge);
    pair.services.set(service, [...(pair.services.get(service) ?? []), edge]);
  }

  const grouped = new Map<
    string,
    { from: Side; to: Side[]; services: string[]; edges: MapEdge[] }
  >();
  for (const pair of pairs.values()) {
    const services = [...pair.services.keys()].sort(compareService);
    const key = `${pair.from.key}|${services.join(',')}`;
    const edgesOf = [...pair.services.values()].flat();
    const group = grouped.get(key);
    if (group) {
      group.to.push(pair.to);
      group.edges.push(...edgesOf);
    } else {
      grouped.set(key, { from: pair.from, to: [pair.to], services, edges: edgesOf });
    }
  }

  const ids = new Set<string>();
  const rules = [...grouped.values()]
    .map((g) => toRule(g, ids))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return {
    document: {
      ...toDocument(rules, grouped, options.internal ?? []),
      tests: proposeTests(rules, byName, options),
    },
    rules,
  };
}

function describeSide(
  node: string,
  workload: Workload | undefined,
  role: 'client' | 'server',
  options: RecommendOptions,
): Side {
  const { by } = options;
  const address = workload?.addresses[0] ?? (node as Address);
  const outside = workload
    ? isOutsideWorkload(workload, options.internal)
    : isOutside(address, options.internal);
  if (outside) {
    if (role === 'client')
      return {
        key: 'net:internet',
        text: 'network:internet',
        slug: 'internet',
        network: { name: 'internet', cidr: '' },
      };
    const name = `ext-${slug(address)}`;
    return {
      key: `net:${name}`,
      text: `network:${name}`,
      slug: name,
      network: { name, cidr: address },
    };
  }
  if (workload && by.length > 0 && by.every((k) => workload.labels[k] !== undefined)) {
    const labels = Object.fromEntries(by.map((k) => [k, workload.labels[k]!]));
    const text = by.map((k) => `${k}=${labels[k]}`).join(',');
    return { key: `labels:${text}`, text: labels, slug: slug(by.map((k) => labels[k]).join('-')) };
  }
  return { key: `workload:${node}`, text: `workload:${node}`, slug: slug(node) };
}

function serviceText(edge: MapEdge): string {
  return formatService(edge.protocol, edge.port);
}

function compareService(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function toRule(
  group: { from: Side; to: Side[]; services: string[]; edges: MapEdge[] },
  ids: Set<string>,
): RecommendedRule {
  const to = [...group.to].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  const target = to.length === 1 ? to[0]!.slug : `${to[0]!.slug}-and-${to.length - 1}-more`;
  const base = `${group.from.slug}-to-${target}`;
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  ids.add(id);

  const flows = group.edges.reduce((sum, e) => sum + e.flows, 0);
  const firstSeen = Math.min(...group.edges.map((e) => e.firstSeen));
  const lastSeen = Math.max(...group.edges.map((e) => e.lastSeen));
  const evidence = [...new Set(group.edges.map((e) => e.evidence))].sort().join(', ');
  const reason =
    `observed ${flows} flow${flows === 1 ? '' : 's'} on ${group.edges.length} edge${group.edges.length === 1 ? '' : 's'}, ` +
    `first ${new Date(firstSeen).toISOString()}, last ${new Date(lastSeen).toISOString()}; direction from ${evidence}`;
  return {
    id,
    from: group.from.text,
    to: to.map((s) => s.text),
    services: group.services.map(namedService),
    reason,
    flows,
    firstSeen,
    lastSeen,
    edges: group.edges,
  };
}

function namedService(spec: string): string {
  const [proto, port] = spec.split('/');
  if (port === undefined) return spec;
  return servicePortName(proto!, Number(port)) ?? spec;
}

function toDocument(
  rules: readonly RecommendedRule[],
  groups: Map<string, { from: Side; to: Side[] }>,
  internal: readonly Cidr[],
): Record<string, unknown> {
  const services: Record<string, string> = {};
  for (const rule of rules) {
    for (const service of rule.services) {
      if (service.includes('/')) continue;
      const spec = rule.edges.map(serviceText).find((s) => namedService(s) === service);
      if (spec) services[service] = spec;
    }
  }

  const networks: Record<string, unknown> = {};
  for (const group of groups.values()) {
    for (const side of [group.from, ...group.to]) {
      if (!side.network) continue;
      networks[side.network.name] =
        side.network.name === 'internet'
          ? { cidrs: ['0.0.0.0/0', '::/0'], except: [...INTERNAL_RANGES, ...internal].map(String) }
          : { cidrs: [side.network.cidr] };
    }
  }

  return {
    version: 1,
    ...(Object.keys(services).length > 0 ? { services: sortKeys(services) } : {}),
    ...(Object.keys(networks).length > 0 ? { networks: sortKeys(networks) } : {}),
    tiers: [
      {
        name: 'observed',
        rules: rules.map((r) => ({
          id: r.id,
          action: 'allow',
          from: r.from,
          to: r.to.length === 1 ? r.to[0] : r.to,
          services: r.services,
          reason: r.reason,
        })),
      },
    ],
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Policy tests that pin the recommendation down: each rule's first observed edge must be
 * allowed, and the reverse of a few edges (the server opening the same service on its
 * client), which no rule allows, must be denied.
 */
function proposeTests(
  rules: readonly RecommendedRule[],
  byName: ReadonlyMap<string, Workload>,
  options: RecommendOptions,
): Record<string, string>[] {
  const isInside = (node: string): boolean => {
    const workload = byName.get(node);
    return workload !== undefined && !isOutsideWorkload(workload, options.internal);
  };
  const sideKey = (node: string): string =>
    JSON.stringify(describeSide(node, byName.get(node), 'client', options).text);
  const allows = (client: string, server: string, service: string): boolean =>
    rules.some(
      (r) =>
        JSON.stringify(r.from) === sideKey(client) &&
        r.to.some((t) => JSON.stringify(t) === sideKey(server)) &&
        r.services.includes(namedService(service)),
    );

  const allow: Record<string, string>[] = [];
  const deny: Record<string, string>[] = [];
  for (const rule of rules) {
    const edge = rule.edges.find((e) => isInside(e.client) && isInside(e.server));
    if (!edge) continue;
    const service = serviceText(edge);
    allow.push({
      from: `workload:${edge.client}`,
      to: `workload:${edge.server}`,
      service,
      expect: 'allow',
    });
    if (deny.length < 3 && !allows(edge.server, edge.client, service)) {
      deny.push({
        from: `workload:${edge.server}`,
        to: `workload:${edge.client}`,
        service,
        expect: 'deny',
      });
    }
  }
  return [...allow, ...deny];
}
