/**
 * The cluster as connlist sees it, after the manifests have been read and checked:
 * namespaces, workloads, services, policies and ingress backends.
 */
import type { Place } from '../../domain/index.js';
import type { K8sProtocol } from './conn-set.js';
import type { IpSet } from './ip-range.js';
import type { LabelSelector } from './label-selector.js';

export type Labels = Readonly<Record<string, string>>;

export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

/** A port a container declares; its name is what named ports in policies refer to. */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: K8sProtocol;
}

/** A workload: a Pod, or the controller whose pod template stands for its pods. */
export interface Workload {
  readonly namespace: string;
  readonly name: string;
  /** `Pod`, `Deployment`, `ReplicaSet`, `StatefulSet`, `VirtualMachine`, … */
  readonly kind: string;
  /** The labels of its pods. */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** Pod annotations (secondary network attachments are named there). */
  readonly annotations: Labels;
  /** Secondary networks a VirtualMachine names in its template (`multus.networkName`). */
  readonly multusNetworks: readonly string[];
  readonly place: Place;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: K8sProtocol;
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** Absent: the service selects no pods (its endpoints are managed by hand). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
}

/** A port of a NetworkPolicy rule; `port` absent means every port of the protocol. */
export interface PolicyPort {
  readonly protocol: K8sProtocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** A peer of a NetworkPolicy rule. */
export type PolicyPeer =
  | {
      readonly kind: 'pods';
      readonly podSelector?: LabelSelector;
      readonly namespaceSelector?: LabelSelector;
    }
  | { readonly kind: 'ipBlock'; readonly addresses: IpSet };

/** A rule of one direction; absent peers or ports mean all of them. */
export interface PolicyRule {
  readonly peers?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}

export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly place: Place;
}

/** Which pods an admin policy or one of its peers names. */
export type AdminPods =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | {
      readonly kind: 'pods';
      readonly namespaceSelector: LabelSelector;
      readonly podSelector: LabelSelector;
    };

export type AdminPeer =
  AdminPods | { readonly kind: 'networks'; readonly addresses: IpSet } | { readonly kind: 'nodes' };

export type AdminPort =
  | { readonly kind: 'number'; readonly protocol: K8sProtocol; readonly port: number }
  | { readonly kind: 'named'; readonly name: string }
  | {
      readonly kind: 'range';
      readonly protocol: K8sProtocol;
      readonly first: number;
      readonly last: number;
    };

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

export interface AdminRule {
  readonly name: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeer[];
  /** Absent: every port. */
  readonly ports?: readonly AdminPort[];
}

/** An AdminNetworkPolicy, or the BaselineAdminNetworkPolicy (no priority). */
export interface AdminPolicy {
  readonly name: string;
  readonly priority?: number;
  readonly subject: AdminPods;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  readonly place: Place;
}

/** A service port an Ingress or Route sends traffic to. */
export interface IngressBackend {
  readonly namespace: string;
  readonly service: string;
  /** Service port number or name; absent: every port of the service. */
  readonly port?: number | string;
}

/** A secondary or user-defined network (UDN, ClusterUDN, NetworkAttachmentDefinition). */
export interface PodNetwork {
  readonly kind: 'UDN' | 'CUDN' | 'NAD';
  readonly name: string;
  /** UDN and NAD: its namespace; CUDN: the namespaces it selects. */
  readonly namespace?: string;
  readonly namespaceSelector?: LabelSelector;
  /** Whether the (C)UDN is the primary network of its namespaces. */
  readonly primary: boolean;
}

export interface Cluster {
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly adminPolicies: readonly AdminPolicy[];
  readonly baselinePolicy?: AdminPolicy;
  readonly ingressBackends: readonly IngressBackend[];
  readonly networks: readonly PodNetwork[];
  /** MultiNetworkPolicies, each with the secondary networks it is for (`ns/name`). */
  readonly multiNetworkPolicies: readonly MultiNetworkPolicy[];
}

/** A NetworkPolicy for secondary networks, from a MultiNetworkPolicy. */
export interface MultiNetworkPolicy {
  readonly policy: NetworkPolicy;
  readonly policyFor: readonly string[];
}
