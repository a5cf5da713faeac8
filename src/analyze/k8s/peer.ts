/** The ends of a connection connlist reports: workloads, external ranges, the ingress controller. */
import type { IpRange } from './ip-range.js';
import { formatIpRange } from './ip-range.js';
import type { Labels, Workload } from './model.js';

export type Peer =
  | {
      readonly kind: 'workload';
      readonly workload: Workload;
      readonly namespaceLabels: Labels;
      /** Whether it sits on its namespace's primary UDN, which connlist marks `ns[udn]/…`. */
      readonly udn?: boolean;
    }
  | { readonly kind: 'external'; readonly range: IpRange }
  | { readonly kind: 'ingress-controller' };

/**
 * The ingress controller is treated as a pod with no labels in a namespace of its own, so
 * `namespaceSelector: {}` admits it and selectors naming labels do not.
 */
export const INGRESS_CONTROLLER_NAMESPACE = 'ingress-controller-ns';

/** The name connlist prints for a peer: `ns/name[Kind]`, `a-b[External]`, `{ingress-controller}`. */
export function peerName(peer: Peer): string {
  switch (peer.kind) {
    case 'workload':
      return `${peer.workload.namespace}${peer.udn ? '[udn]' : ''}/${peer.workload.name}[${peer.workload.kind}]`;
    case 'external':
      return `${formatIpRange(peer.range)}[External]`;
    case 'ingress-controller':
      return '{ingress-controller}';
  }
}

/** Namespace and labels of a peer that lives in the cluster; undefined for external ranges. */
export function podIdentity(
  peer: Peer,
): { namespace: string; namespaceLabels: Labels; labels: Labels } | undefined {
  switch (peer.kind) {
    case 'workload':
      return {
        namespace: peer.workload.namespace,
        namespaceLabels: peer.namespaceLabels,
        labels: peer.workload.labels,
      };
    case 'ingress-controller':
      return {
        namespace: INGRESS_CONTROLLER_NAMESPACE,
        namespaceLabels: { 'kubernetes.io/metadata.name': INGRESS_CONTROLLER_NAMESPACE },
        labels: {},
      };
    case 'external':
      return undefined;
  }
}
