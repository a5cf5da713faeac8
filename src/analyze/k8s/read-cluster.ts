/**
 * Sorts manifest documents by kind into a Cluster. Kinds that do not affect connectivity
 * (ConfigMap, ServiceAccount, …) are skipped; `List` kinds are unpacked.
 */
import type { Place } from '../../domain/index.js';
import { InputError } from '../../domain/index.js';
import type { ManifestDocument } from './manifest-text.js';
import type {
  AdminPolicy,
  Cluster,
  IngressBackend,
  MultiNetworkPolicy,
  Namespace,
  NetworkPolicy,
  PodNetwork,
  Service,
  Workload,
} from './model.js';
import type { Json } from './narrow.js';
import { isJson, optString } from './narrow.js';
import { readAdminPolicy, readNetworkPolicy } from './read-policies.js';
import { readPodNetwork } from './read-networks.js';
import {
  readIngress,
  readNamespace,
  readRoute,
  readService,
  readWorkload,
  TEMPLATE_KINDS,
} from './read-workloads.js';

const POLICY_FOR = 'k8s.v1.cni.cncf.io/policy-for';

/** A cluster and the notes taken while reading it. */
export interface ClusterRead {
  readonly cluster: Cluster;
  readonly warnings: readonly string[];
}

interface Item {
  readonly object: Json;
  readonly kind: string;
  readonly doc: ManifestDocument;
}

function unpack(doc: ManifestDocument): Item[] {
  if (!isJson(doc.object)) return [];
  const kind = optString(doc.object.kind, { place: doc.place, path: 'kind' }) ?? '';
  if (!kind.endsWith('List') || !Array.isArray(doc.object.items)) {
    return [{ object: doc.object, kind, doc }];
  }
  const itemKind = kind === 'List' ? '' : kind.slice(0, -'List'.length);
  return (doc.object.items as unknown[]).flatMap((item): Item[] => {
    if (!isJson(item)) return [];
    const own = typeof item.kind === 'string' ? item.kind : itemKind;
    return [{ object: item, kind: own, doc }];
  });
}

class ClusterBuilder {
  readonly namespaces = new Map<string, Namespace>();
  readonly workloads = new Map<string, Workload>();
  readonly services: Service[] = [];
  readonly networkPolicies: NetworkPolicy[] = [];
  readonly adminPolicies: AdminPolicy[] = [];
  readonly baselines: AdminPolicy[] = [];
  readonly ingressBackends: IngressBackend[] = [];
  readonly networks: PodNetwork[] = [];
  readonly multiNetworkPolicies: MultiNetworkPolicy[] = [];
  readonly warnings: string[] = [];
  readonly warn = (message: string): void => {
    this.warnings.push(message);
  };

  add({ object, kind, doc }: Item): void {
    const place = doc.place;
    if (kind === 'Namespace') {
      const ns = readNamespace(object, { place, path: '' });
      this.namespaces.set(ns.name, ns);
    } else if (kind === 'Pod' || kind === 'CronJob' || TEMPLATE_KINDS.has(kind)) {
      this.addWorkload(readWorkload(object, kind, place));
    } else if (kind === 'Service') {
      this.services.push(readService(object, place));
    } else if (kind === 'MultiNetworkPolicy') {
      this.addMultiNetworkPolicy(object, place);
    } else if (kind === 'NetworkPolicy') {
      this.networkPolicies.push(readNetworkPolicy(object, place, this.warn));
    } else if (kind === 'AdminNetworkPolicy') {
      this.adminPolicies.push(readAdminPolicy(object, place, false, this.warn));
    } else if (kind === 'BaselineAdminNetworkPolicy') {
      this.addBaseline(readAdminPolicy(object, place, true, this.warn));
    } else if (kind === 'Ingress') {
      this.ingressBackends.push(...readIngress(object, place));
    } else if (kind === 'Route') {
      this.ingressBackends.push(...readRoute(object, place));
    } else {
      const network = readPodNetwork(object, kind, place);
      if (network) this.networks.push(network);
    }
  }

  private addMultiNetworkPolicy(object: Json, place: Place): void {
    const policy = readNetworkPolicy(object, place, this.warn);
    const meta = isJson(object.metadata) ? object.metadata : {};
    const annotations = isJson(meta.annotations) ? meta.annotations : {};
    const text = typeof annotations[POLICY_FOR] === 'string' ? annotations[POLICY_FOR] : '';
    const policyFor = text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((t) => (t.includes('/') ? t : `${policy.namespace}/${t}`));
    this.multiNetworkPolicies.push({ policy, policyFor });
  }

  private addWorkload(workload: Workload): void {
    const key = `${workload.namespace}/${workload.name}[${workload.kind}]`;
    if (!this.workloads.has(key)) this.workloads.set(key, workload);
  }

  private addBaseline(policy: AdminPolicy): void {
    if (policy.name !== 'default') {
      throw new InputError(
        `Cannot use BaselineAdminNetworkPolicy "${policy.name}": the only one allowed is named "default"`,
        policy.place,
      );
    }
    if (this.baselines.length > 0) {
      throw new InputError(
        'Cannot use a second BaselineAdminNetworkPolicy: a cluster has at most one, named "default"',
        policy.place,
      );
    }
    this.baselines.push(policy);
  }

  build(): Cluster {
    const workloads = [...this.workloads.values()];
    for (const w of workloads) {
      if (!this.namespaces.has(w.namespace)) {
        this.namespaces.set(w.namespace, {
          name: w.namespace,
          labels: { 'kubernetes.io/metadata.name': w.namespace },
        });
      }
    }
    const baseline = this.baselines[0];
    return {
      namespaces: this.namespaces,
      workloads,
      services: this.services,
      networkPolicies: this.networkPolicies,
      adminPolicies: this.adminPolicies,
      ingressBackends: this.ingressBackends,
      networks: this.networks,
      multiNetworkPolicies: this.multiNetworkPolicies,
      ...(baseline ? { baselinePolicy: baseline } : {}),
    };
  }
}

/**
 * Builds the cluster from parsed manifest documents.
 *
 * @throws InputError naming the file, line and field of the first malformed object.
 */
export function readCluster(documents: readonly ManifestDocument[]): ClusterRead {
  const builder = new ClusterBuilder();
  for (const doc of documents) {
    for (const item of unpack(doc)) builder.add(item);
  }
  return { cluster: builder.build(), warnings: builder.warnings };
}
