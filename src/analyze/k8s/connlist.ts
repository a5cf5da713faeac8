/**
 * The allowed connections between every pair of workloads, between workloads and the
 * external address ranges policies name, and from the ingress controller.
 */
import type { ConnSet } from './conn-set.js';
import { formatConns, intersectConns, isEmptyConns } from './conn-set.js';
import type { PolicyLayers } from './evaluate.js';
import { allowedConns, layersOf } from './evaluate.js';
import { ingressExposure } from './ingress-controller.js';
import type { IpRange, IpSet } from './ip-range.js';
import { ALL_IPV4, disjointRanges } from './ip-range.js';
import type { Cluster, Workload } from './model.js';
import type { Peer } from './peer.js';
import { peerName } from './peer.js';

/** One allowed connection: names as connlist prints them, and the connections. */
export interface Connection {
  readonly src: string;
  readonly dst: string;
  readonly conns: ConnSet;
}

/**
 * The part of a cluster one network carries: its workloads and the policies that hold
 * on it. Connections never cross from one network to another.
 */
export interface NetworkView {
  readonly workloads: readonly Workload[];
  /** Whether external addresses and the ingress controller reach this network. */
  readonly external: boolean;
  /** Replaces the cluster's policies (secondary networks obey MultiNetworkPolicies only). */
  readonly policies?: Pick<Cluster, 'networkPolicies' | 'adminPolicies'>;
  /** Whether workloads sit on their namespace's primary UDN (named `ns[udn]/…`). */
  readonly udnNames?: boolean;
}

function workloadPeer(layers: PolicyLayers, workload: Workload, udn = false): Peer {
  return {
    kind: 'workload',
    workload,
    namespaceLabels: layers.namespaceLabels(workload.namespace),
    ...(udn ? { udn } : {}),
  };
}

/** Address sets the cluster's policies name, for sources (ingress) and destinations (egress). */
function referencedAddresses(cluster: Cluster): { ingress: IpSet[]; egress: IpSet[] } {
  const ingress: IpSet[] = [ALL_IPV4];
  const egress: IpSet[] = [ALL_IPV4];
  if (cluster.workloads.length === 0) return { ingress: [], egress: [] };
  for (const policy of cluster.networkPolicies) {
    for (const rule of policy.ingress) {
      for (const p of rule.peers ?? []) if (p.kind === 'ipBlock') ingress.push(p.addresses);
    }
    for (const rule of policy.egress) {
      for (const p of rule.peers ?? []) if (p.kind === 'ipBlock') egress.push(p.addresses);
    }
  }
  const admin = [
    ...cluster.adminPolicies,
    ...(cluster.baselinePolicy ? [cluster.baselinePolicy] : []),
  ];
  for (const policy of admin) {
    for (const rule of policy.egress) {
      for (const p of rule.peers) if (p.kind === 'networks') egress.push(p.addresses);
    }
  }
  return { ingress, egress };
}

function external(range: IpRange): Peer {
  return { kind: 'external', range };
}

/** Every allowed connection of a network of a cluster (by default: all of it). */
export function computeConnections(
  whole: Cluster,
  view: NetworkView = { workloads: whole.workloads, external: true },
): Connection[] {
  const { baselinePolicy, ...rest } = whole;
  const cluster: Cluster = {
    ...rest,
    ...view.policies,
    ...(baselinePolicy && !view.policies ? { baselinePolicy } : {}),
    workloads: view.workloads,
  };
  const layers = layersOf(cluster);
  const peers = cluster.workloads.map((w) => workloadPeer(layers, w, view.udnNames));
  const addresses = view.external ? referencedAddresses(cluster) : { ingress: [], egress: [] };
  const out: Connection[] = [];
  const add = (src: Peer, dst: Peer, conns: ConnSet): void => {
    if (!isEmptyConns(conns)) out.push({ src: peerName(src), dst: peerName(dst), conns });
  };

  for (const src of peers) {
    if (src.kind !== 'workload') continue;
    for (const dst of peers) {
      if (dst.kind !== 'workload' || dst === src) continue;
      const ports = dst.workload.ports;
      const egress = allowedConns(layers, 'egress', src.workload, dst, ports);
      if (isEmptyConns(egress)) continue;
      add(
        src,
        dst,
        intersectConns(egress, allowedConns(layers, 'ingress', dst.workload, src, ports)),
      );
    }
    for (const range of disjointRanges(addresses.egress)) {
      add(src, external(range), allowedConns(layers, 'egress', src.workload, external(range), []));
    }
  }

  for (const range of disjointRanges(addresses.ingress)) {
    for (const dst of peers) {
      if (dst.kind !== 'workload') continue;
      add(
        external(range),
        dst,
        allowedConns(layers, 'ingress', dst.workload, external(range), dst.workload.ports),
      );
    }
  }

  const controller: Peer = { kind: 'ingress-controller' };
  const exposure = view.external ? ingressExposure(cluster) : new Map<Workload, ConnSet>();
  for (const [workload, exposed] of exposure) {
    const dst = workloadPeer(layers, workload, view.udnNames);
    add(
      controller,
      dst,
      intersectConns(
        exposed,
        allowedConns(layers, 'ingress', workload, controller, workload.ports),
      ),
    );
  }

  return out;
}

/** `src => dst : conns`, one per connection, sorted. */
export function formatConnections(connections: readonly Connection[]): string[] {
  return connections.map((c) => `${c.src} => ${c.dst} : ${formatConns(c.conns)}`).sort();
}
