import { protocolNumber } from '../../../domain/index.js';
import type { OpenPort } from '../../../domain/index.js';
import { asK8sObject } from './manifest-documents.js';
import type { K8sObject } from './manifest-documents.js';
import { podLabel } from './label-key.js';

/** The kinds that run pods and become workloads. */
export const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'Job',
  'CronJob',
]);

/** A named container port: Services may point at it by name. */
export interface ContainerPort extends OpenPort {
  readonly name?: string;
}

/** A workload object read from a manifest, before Services mark its ports. */
export interface PodWorkload {
  /** `namespace/name`. */
  readonly name: string;
  readonly namespace: string;
  /** The pod labels exactly as written, for Service selectors. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The labels the workload gets. */
  readonly labels: Record<string, string>;
  readonly ports: ContainerPort[];
  /** Labels that could not be set, one sentence each. */
  readonly dropped: string[];
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The `metadata.namespace` of an object, `default` when absent. */
export function namespaceOf(object: K8sObject): string {
  const namespace = asK8sObject(object.metadata)?.namespace;
  return typeof namespace === 'string' && namespace.length > 0 ? namespace : 'default';
}

/** The metadata.name of an object, checked to be a Kubernetes name. */
export function nameOf(object: K8sObject, kind: string): string {
  const name = asK8sObject(object.metadata)?.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new RangeError(`${kind} has no metadata.name; give every object a name`);
  }
  if (!NAME.test(name)) {
    throw new RangeError(
      `${kind} "${name}" has a name Kubernetes does not accept; use lower-case letters, digits, - and .`,
    );
  }
  return name;
}

/** The pod template of a workload object (the object itself for a Pod). */
function podOf(object: K8sObject, kind: string): K8sObject {
  if (kind === 'Pod') return object;
  const spec = asK8sObject(object.spec);
  const template = kind === 'CronJob' ? asK8sObject(asK8sObject(spec?.jobTemplate)?.spec) : spec;
  const pod = asK8sObject(template?.template);
  if (pod === undefined) {
    const where = kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
    throw new RangeError(`${kind} has no ${where}; give the pod template`);
  }
  return pod;
}

function stringRecord(value: unknown): Record<string, string> {
  const entries = Object.entries(asK8sObject(value) ?? {});
  return Object.fromEntries(entries.map(([key, item]) => [key, String(item)]));
}

function portOf(node: K8sObject, container: string): ContainerPort {
  const port = node.containerPort;
  const protocolText = typeof node.protocol === 'string' ? node.protocol : 'TCP';
  const protocol = protocolNumber(protocolText);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(
      `container "${container}" has containerPort ${String(port)}; give 1-65535`,
    );
  }
  if (protocol === undefined) {
    throw new RangeError(
      `container "${container}" has protocol "${protocolText}"; give TCP, UDP or SCTP`,
    );
  }
  return typeof node.name === 'string' ? { protocol, port, name: node.name } : { protocol, port };
}

function portsOf(pod: K8sObject): ContainerPort[] {
  const containers = asK8sObject(pod.spec)?.containers;
  const ports: ContainerPort[] = [];
  for (const container of Array.isArray(containers) ? containers.map(asK8sObject) : []) {
    const name = typeof container?.name === 'string' ? container.name : '';
    const list = Array.isArray(container?.ports) ? container.ports.map(asK8sObject) : [];
    for (const node of list) if (node !== undefined) ports.push(portOf(node, name));
  }
  return ports;
}

/**
 * Reads a Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job or CronJob: its pod
 * template labels become labels, with `namespace` and, when `app` is absent, `app` from
 * `app.kubernetes.io/name`; its container ports become open ports.
 *
 * @throws RangeError when the object has no name, no pod template or a bad port.
 */
export function parsePodWorkload(object: K8sObject, kind: string): PodWorkload {
  const name = nameOf(object, kind);
  const namespace = namespaceOf(object);
  const pod = podOf(object, kind);
  const podLabels = stringRecord(asK8sObject(pod.metadata)?.labels);
  const ports = portsOf(pod);

  const labels: Record<string, string> = { namespace };
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(podLabels)) {
    const label = podLabel(key, value);
    if (!label.ok) dropped.push(label.reason);
    else if (label.key in labels) dropped.push(`label "${key}" sets key "${label.key}" again`);
    else labels[label.key] = label.value;
  }
  const appName = labels['app.kubernetes.io/name'];
  if (labels.app === undefined && appName !== undefined) labels.app = appName;

  return { name: `${namespace}/${name}`, namespace, podLabels, labels, ports, dropped };
}
