import { EVIDENCE_STRENGTH, formatService } from '../domain/index.js';
import type { DirectionEvidence, EdgeHour, LabelSet, Workload } from '../domain/index.js';

/** Flows between two map nodes on one service, summed over the stored hours. */
export interface MapEdge {
  readonly client: string;
  readonly server: string;
  readonly protocol: number;
  readonly port: number;
  /** `tcp/502`, or `icmp/8` for ICMP echo. */
  readonly service: string;
  readonly flows: number;
  readonly rejected: number;
  readonly packets: number;
  readonly bytes: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly evidence: DirectionEvidence;
}

/** A node of the map: one workload, or one label group with `--by`. */
export interface MapNode {
  readonly name: string;
  readonly workloads: readonly string[];
  readonly labels: LabelSet;
  readonly discovered: boolean;
}

/** The dependency map: nodes and the client → server edges between them. */
export interface DependencyMap {
  readonly by: readonly string[];
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

/** The name of the group a workload falls in when grouping by label keys. */
export function groupName(labels: LabelSet, by: readonly string[]): string {
  return by.map((key) => `${key}=${labels[key] ?? '?'}`).join(',');
}

/** Index from address to workload. */
export function indexAddresses(workloads: readonly Workload[]): Map<string, Workload> {
  const index = new Map<string, Workload>();
  for (const workload of workloads) {
    for (const address of workload.addresses) index.set(address, workload);
  }
  return index;
}

type MutableEdge = { -readonly [K in keyof MapEdge]: MapEdge[K] };

/**
 * Builds the dependency map: resolves edge addresses to workloads and sums the hourly
 * aggregates per (client, server, service). With `by`, nodes are label groups.
 *
 * @param workloads Every workload of the workspace.
 * @param edges Stored hourly edges.
 * @param by Label keys to group by; empty for one node per workload.
 */
export function buildMap(
  workloads: readonly Workload[],
  edges: readonly EdgeHour[],
  by: readonly string[] = [],
): DependencyMap {
  const byAddress = indexAddresses(workloads);
  const nodeOf = (address: string): string => {
    const workload = byAddress.get(address);
    if (!workload) return address;
    return by.length === 0 ? workload.name : groupName(workload.labels, by);
  };

  const merged = new Map<string, MutableEdge>();
  for (const edge of edges) {
    const client = nodeOf(edge.client);
    const server = nodeOf(edge.server);
    const key = `${client}|${server}|${edge.protocol}|${edge.port}`;
    const old = merged.get(key);
    if (!old) {
      merged.set(key, {
        client,
        server,
        protocol: edge.protocol,
        port: edge.port,
        service: formatService(edge.protocol, edge.port),
        flows: edge.flows,
        rejected: edge.rejected,
        packets: edge.packetsToServer + edge.packetsToClient,
        bytes: edge.bytesToServer + edge.bytesToClient,
        firstSeen: edge.firstSeen,
        lastSeen: edge.lastSeen,
        evidence: edge.evidence,
      });
      continue;
    }
    old.flows += edge.flows;
    old.rejected += edge.rejected;
    old.packets += edge.packetsToServer + edge.packetsToClient;
    old.bytes += edge.bytesToServer + edge.bytesToClient;
    old.firstSeen = Math.min(old.firstSeen, edge.firstSeen);
    old.lastSeen = Math.max(old.lastSeen, edge.lastSeen);
    if (EVIDENCE_STRENGTH.indexOf(edge.evidence) < EVIDENCE_STRENGTH.indexOf(old.evidence)) {
      old.evidence = edge.evidence;
    }
  }

  return { by, nodes: buildNodes(workloads, by), edges: [...merged.values()].sort(compareEdges) };
}

function buildNodes(workloads: readonly Workload[], by: readonly string[]): MapNode[] {
  if (by.length === 0) {
    return workloads.map((w) => ({
      name: w.name,
      workloads: [w.name],
      labels: w.labels,
      discovered: w.discovered,
    }));
  }
  const groups = new Map<
    string,
    { workloads: string[]; labels: Record<string, string>; discovered: boolean }
  >();
  for (const w of workloads) {
    const name = groupName(w.labels, by);
    const group = groups.get(name);
    if (group) {
      group.workloads.push(w.name);
      group.discovered &&= w.discovered;
      continue;
    }
    const labels = Object.fromEntries(
      by.flatMap((k) => (w.labels[k] === undefined ? [] : [[k, w.labels[k]]])),
    );
    groups.set(name, { workloads: [w.name], labels, discovered: w.discovered });
  }
  return [...groups.entries()]
    .map(([name, g]) => ({ name, ...g }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function compareEdges(a: MapEdge, b: MapEdge): number {
  return (
    a.client.localeCompare(b.client, 'en', { numeric: true }) ||
    a.server.localeCompare(b.server, 'en', { numeric: true }) ||
    a.protocol - b.protocol ||
    a.port - b.port
  );
}
