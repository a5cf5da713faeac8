import { protocolNumber } from '../../../domain/index.js';
import type { OpenPort } from '../../../domain/index.js';
import { asK8sObject } from './manifest-documents.js';
import type { K8sObject } from './manifest-documents.js';
import { nameOf, namespaceOf } from './pod-workload.js';
import type { PodWorkload } from './pod-workload.js';

/** One port of a Kubernetes Service. */
export interface K8sServicePort {
  /** `TCP`, `UDP` or `SCTP`, as Kubernetes writes it. */
  readonly protocol: string;
  readonly port: number;
  /** A container port number, or the name of a container port. */
  readonly targetPort: number | string;
}

/** A Kubernetes Service: the pods its selector picks answer on its ports. */
export interface K8sService {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly K8sServicePort[];
  /** Names (`namespace/name`) of the workloads the selector picks, in input order. */
  readonly workloads: readonly string[];
}

function servicePortOf(node: K8sObject, service: string): K8sServicePort {
  const { port, targetPort } = node;
  const protocol = typeof node.protocol === 'string' ? node.protocol : 'TCP';
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`Service "${service}" has port ${String(port)}; give 1-65535`);
  }
  const target =
    typeof targetPort === 'number' || typeof targetPort === 'string' ? targetPort : port;
  return { protocol, port, targetPort: target };
}

/**
 * Reads a Service's name, namespace, selector and ports (a missing `targetPort` is the
 * port, a missing protocol TCP). A Service without a selector selects nothing.
 *
 * @throws RangeError when it has no name or a bad port.
 */
export function parseService(object: K8sObject): Omit<K8sService, 'workloads'> {
  const name = nameOf(object, 'Service');
  const spec = asK8sObject(object.spec);
  const selector = Object.fromEntries(
    Object.entries(asK8sObject(spec?.selector) ?? {}).map(([key, value]) => [key, String(value)]),
  );
  const list = Array.isArray(spec?.ports) ? spec.ports.map(asK8sObject) : [];
  const ports = list.filter((node) => node !== undefined).map((node) => servicePortOf(node, name));
  return { name, namespace: namespaceOf(object), selector, ports };
}

/** Whether a Service selects a workload: same namespace, every selector label matches. */
export function selects(service: Omit<K8sService, 'workloads'>, workload: PodWorkload): boolean {
  const entries = Object.entries(service.selector);
  if (entries.length === 0 || service.namespace !== workload.namespace) return false;
  return entries.every(([key, value]) => workload.podLabels[key] === value);
}

/**
 * Marks the open ports a Service port reaches on a selected workload with the Service's
 * name; a numeric target the containers do not declare is added as an open port. A port
 * already marked by an earlier Service keeps its mark.
 */
export function markServicePorts(
  service: Omit<K8sService, 'workloads'>,
  workload: PodWorkload,
): void {
  for (const servicePort of service.ports) {
    const protocol = protocolNumber(servicePort.protocol);
    if (protocol === undefined) continue;

    const { targetPort } = servicePort;
    const index = workload.ports.findIndex((port) =>
      typeof targetPort === 'string'
        ? port.name === targetPort
        : port.protocol === protocol && port.port === targetPort,
    );
    const found = workload.ports[index];
    if (found === undefined) {
      if (typeof targetPort === 'number') {
        workload.ports.push({ protocol, port: targetPort, service: service.name });
      }
      continue;
    }
    if (found.service === undefined) workload.ports[index] = { ...found, service: service.name };
  }
}

/** The open ports of a workload: container ports, named after a Service or the port. */
export function openPortsOf(workload: PodWorkload): OpenPort[] {
  return workload.ports.map(({ protocol, port, name, service }) => {
    const label = service ?? name;
    return label === undefined ? { protocol, port } : { protocol, port, service: label };
  });
}
