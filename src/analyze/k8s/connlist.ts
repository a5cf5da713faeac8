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

function workloadPeer(layers: PolicyLayers, workload: Workload): Peer {
  return {
    kind: 'workload',
    workload,
    namespaceLabels: layers.namespaceLabels(workload.namespace),
  };
}

/** Address sets the cluster's policies name, for sources (ingress) and destinations (egress). */
function referencedAddresses(cluster: Cluster): { ingress: IpSet[]; egress: IpSet[] } {
  const ingress: IpSet[] = [ALL_IPV4];
  const egress: IpSet[] = [ALL_IPV4];
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

/** Every allowed connection of a cluster, sorted by source then destination name. */
export function computeConnections(cluster: Cluster): Connection[] {
  const layers = layersOf(cluster);
  const peers = cluster.workloads.map((w) => workloadPeer(layers, w));
  const addresses = referencedAddresses(cluster);
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
  for (const [workload, exposed] of ingressExposure(cluster)) {
    const dst = workloadPeer(layers, workload);
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
