/**
 * Reading of user-defined networks (OVN-Kubernetes UserDefinedNetwork and
 * ClusterUserDefinedNetwork), Multus NetworkAttachmentDefinitions, and the attachments
 * pods and virtual machines declare.
 */
import type { Place } from '../../domain/index.js';
import { EVERYTHING } from './label-selector.js';
import type { PodNetwork, Workload } from './model.js';
import type { Json, Where } from './narrow.js';
import { at, fail, isJson, list, object, optObject, optString } from './narrow.js';
import { metadataOf } from './read-workloads.js';
import { readSelector } from './read-selector.js';

function roleOf(network: Json, where: Where): boolean {
  const topology = optString(network.topology, at(where, 'topology')) ?? 'Layer2';
  const key = topology === 'Layer3' ? 'layer3' : 'layer2';
  const layer = object(network[key], at(where, key));
  const role = optString(layer.role, at(where, `${key}.role`)) ?? 'Secondary';
  if (role !== 'Primary' && role !== 'Secondary') {
    fail(at(where, `${key}.role`), `role "${role}" is not Primary or Secondary`);
  }
  return role === 'Primary';
}

/** A pod network from its manifest, or undefined when the kind is not one. */
export function readPodNetwork(obj: Json, kind: string, place: Place): PodNetwork | undefined {
  const where: Where = { place, path: '' };
  if (kind === 'UserDefinedNetwork') {
    const { name, namespace } = metadataOf(obj, where);
    const primary = roleOf(object(obj.spec, at(where, 'spec')), at(where, 'spec'));
    return { kind: 'UDN', name, namespace, primary };
  }
  if (kind === 'ClusterUserDefinedNetwork') {
    const { name } = metadataOf(obj, where);
    const spec = object(obj.spec, at(where, 'spec'));
    const namespaceSelector =
      readSelector(spec.namespaceSelector, at(where, 'spec.namespaceSelector')) ?? EVERYTHING;
    const primary = roleOf(
      object(spec.network, at(where, 'spec.network')),
      at(where, 'spec.network'),
    );
    return { kind: 'CUDN', name, namespaceSelector, primary };
  }
  if (kind === 'NetworkAttachmentDefinition') {
    const { name, namespace } = metadataOf(obj, where);
    return { kind: 'NAD', name, namespace, primary: false };
  }
  return undefined;
}

/** A secondary network a workload attaches to, by namespace and name. */
export interface Attachment {
  readonly namespace: string;
  readonly name: string;
}

const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

function parseReference(text: string, namespace: string): Attachment {
  const ref = text.trim().split('@')[0] ?? '';
  const slash = ref.indexOf('/');
  return slash < 0
    ? { namespace, name: ref }
    : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

/**
 * The secondary networks of a workload: the Multus annotation on a pod (a comma list of
 * `[ns/]name`, or a JSON list of `{name, namespace}`), or a VM's `multus` networks.
 */
export function attachmentsOf(workload: Workload): Attachment[] {
  const out = [...workload.multusNetworks].map((n) => parseReference(n, workload.namespace));
  const annotation = workload.annotations[NETWORKS_ANNOTATION];
  if (annotation === undefined || annotation.trim() === '') return out;
  if (annotation.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(annotation);
    } catch {
      return out;
    }
    for (const item of Array.isArray(parsed) ? (parsed as unknown[]) : []) {
      if (!isJson(item) || typeof item.name !== 'string') continue;
      const namespace = typeof item.namespace === 'string' ? item.namespace : workload.namespace;
      out.push({ namespace, name: item.name });
    }
    return out;
  }
  return [...out, ...annotation.split(',').map((t) => parseReference(t, workload.namespace))];
}

/** The `multus` network names of a VirtualMachine's template. */
export function readMultusNetworks(templateSpec: Json, where: Where): string[] {
  return list(templateSpec.networks, at(where, 'networks')).flatMap((n, i) => {
    const multus = optObject(object(n, at(at(where, 'networks'), i)).multus, at(where, 'multus'));
    const name = optString(multus?.networkName, at(where, 'multus.networkName'));
    return name ? [name] : [];
  });
}
