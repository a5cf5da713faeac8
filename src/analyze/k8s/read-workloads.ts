/**
 * Reading of namespaces, workloads, services, Ingresses and Routes. A controller
 * (Deployment, StatefulSet, …) stands for its pods through its pod template; a Pod that
 * a controller owns is reported under its owner's name and kind.
 */
import type { Place } from '../../domain/index.js';
import type {
  ContainerPort,
  IngressBackend,
  Labels,
  Namespace,
  Service,
  ServicePort,
  Workload,
} from './model.js';
import type { Json, Where } from './narrow.js';
import {
  at,
  fail,
  labels,
  list,
  object,
  optInteger,
  optIntOrString,
  optObject,
  optString,
} from './narrow.js';
import { readMultusNetworks } from './read-networks.js';
import { checkPort, readProtocol } from './read-selector.js';

/** Controllers whose `spec.template` is a pod template. */
export const TEMPLATE_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'VirtualMachine',
  'VirtualMachineInstance',
]);

const VM_KINDS = new Set(['VirtualMachine', 'VirtualMachineInstance']);

export function metadataOf(obj: Json, where: Where): { name: string; namespace: string } {
  const meta = object(obj.metadata, at(where, 'metadata'));
  const name = optString(meta.name, at(where, 'metadata.name'));
  if (name === undefined || name === '') fail(at(where, 'metadata.name'), 'the object has no name');
  const given = optString(meta.namespace, at(where, 'metadata.namespace'));
  const namespace = given === undefined || given === '' ? 'default' : given;
  return { name, namespace };
}

export function readNamespace(obj: Json, where: Where): Namespace {
  const { name } = metadataOf(obj, where);
  const meta = object(obj.metadata, at(where, 'metadata'));
  const own = labels(meta.labels, at(where, 'metadata.labels'));
  return { name, labels: { ...own, 'kubernetes.io/metadata.name': name } };
}

function readContainerPorts(podSpec: Json, where: Where): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = list(podSpec.containers, at(where, 'containers'));
  containers.forEach((c, ci) => {
    const cw = at(at(where, 'containers'), ci);
    const ports = list(object(c, cw).ports, at(cw, 'ports'));
    ports.forEach((p, pi) => {
      const pw = at(at(cw, 'ports'), pi);
      const po = object(p, pw);
      const port = optInteger(po.containerPort, at(pw, 'containerPort'));
      // A port without containerPort cannot be reached; named ports that point at it match nothing.
      if (port === undefined) return;
      const name = optString(po.name, at(pw, 'name'));
      const protocol = readProtocol(po.protocol, at(pw, 'protocol'));
      out.push({
        port: checkPort(port, at(pw, 'containerPort')),
        protocol,
        ...(name ? { name } : {}),
      });
    });
  });
  return out;
}

function podTemplateOf(obj: Json, kind: string, where: Where): { template: Json; where: Where } {
  const spec = object(obj.spec, at(where, 'spec'));
  if (kind === 'CronJob') {
    const job = object(spec.jobTemplate, at(where, 'spec.jobTemplate'));
    const jobSpec = object(job.spec, at(where, 'spec.jobTemplate.spec'));
    const w = at(where, 'spec.jobTemplate.spec.template');
    return { template: object(jobSpec.template, w), where: w };
  }
  return {
    template: object(spec.template, at(where, 'spec.template')),
    where: at(where, 'spec.template'),
  };
}

function ownerOf(meta: Json, where: Where): { name: string; kind: string } | undefined {
  const owners = list(meta.ownerReferences, at(where, 'metadata.ownerReferences')).map((o, i) =>
    object(o, at(at(where, 'metadata.ownerReferences'), i)),
  );
  const owner = owners.find((o) => o.controller === true) ?? owners[0];
  if (!owner) return undefined;
  const name = optString(owner.name, at(where, 'metadata.ownerReferences.name'));
  const kind = optString(owner.kind, at(where, 'metadata.ownerReferences.kind')) ?? 'Pod';
  // A static pod is owned by its Node, which is not a workload: it stays a Pod.
  if (!name || kind === 'Node') return undefined;
  return { name, kind };
}

/** A workload from a Pod, a controller with a pod template, or a CronJob. */
export function readWorkload(obj: Json, kind: string, place: Place): Workload {
  const where: Where = { place, path: '' };
  const { name, namespace } = metadataOf(obj, where);
  const meta = object(obj.metadata, at(where, 'metadata'));

  if (kind === 'Pod') {
    const owner = ownerOf(meta, where);
    const spec = object(obj.spec, at(where, 'spec'));
    return {
      namespace,
      name: owner?.name ?? name,
      kind: owner?.kind ?? 'Pod',
      labels: labels(meta.labels, at(where, 'metadata.labels')),
      annotations: labels(meta.annotations, at(where, 'metadata.annotations')),
      ports: readContainerPorts(spec, at(where, 'spec')),
      multusNetworks: [],
      place,
    };
  }

  const { template, where: tw } =
    kind === 'VirtualMachineInstance' ? { template: obj, where } : podTemplateOf(obj, kind, where);
  const tmeta = object(template.metadata, at(tw, 'metadata'));
  const tspec = object(template.spec, at(tw, 'spec'));
  const owner = kind === 'VirtualMachineInstance' ? ownerOf(meta, where) : undefined;
  return {
    namespace,
    name: owner?.name ?? name,
    kind: owner?.kind ?? kind,
    labels: labels(tmeta.labels, at(tw, 'metadata.labels')),
    annotations: labels(tmeta.annotations, at(tw, 'metadata.annotations')),
    ports: VM_KINDS.has(kind) ? [] : readContainerPorts(tspec, at(tw, 'spec')),
    multusNetworks: VM_KINDS.has(kind) ? readMultusNetworks(tspec, at(tw, 'spec')) : [],
    place,
  };
}

function readServicePort(value: unknown, where: Where): ServicePort {
  const obj = object(value, where);
  const port = optInteger(obj.port, at(where, 'port'));
  if (port === undefined) fail(at(where, 'port'), 'a service port needs a number');
  const targetPort = optIntOrString(obj.targetPort, at(where, 'targetPort')) ?? port;
  const name = optString(obj.name, at(where, 'name'));
  const protocol = readProtocol(obj.protocol, at(where, 'protocol'));
  return {
    port: checkPort(port, at(where, 'port')),
    targetPort,
    protocol,
    ...(name ? { name } : {}),
  };
}

export function readService(obj: Json, place: Place): Service {
  const where: Where = { place, path: '' };
  const { name, namespace } = metadataOf(obj, where);
  const spec = object(obj.spec, at(where, 'spec'));
  const selector = optObject(spec.selector, at(where, 'spec.selector'));
  const ports = list(spec.ports, at(where, 'spec.ports')).map((p, i) =>
    readServicePort(p, at(at(where, 'spec.ports'), i)),
  );
  const sel: Labels | undefined = selector
    ? labels(selector, at(where, 'spec.selector'))
    : undefined;
  return { namespace, name, ports, ...(sel ? { selector: sel } : {}) };
}

function ingressBackend(value: unknown, namespace: string, where: Where): IngressBackend[] {
  const backend = optObject(value, where);
  const service = optObject(backend?.service, at(where, 'service'));
  if (!service) return [];
  const name = optString(service.name, at(where, 'service.name'));
  if (name === undefined)
    fail(at(where, 'service.name'), 'an Ingress backend needs a service name');
  const port = object(service.port, at(where, 'service.port'));
  const number = optInteger(port.number, at(where, 'service.port.number'));
  const portName = optString(port.name, at(where, 'service.port.name'));
  const which = number ?? portName;
  return [{ namespace, service: name, ...(which !== undefined ? { port: which } : {}) }];
}

/** The service ports a networking.k8s.io Ingress sends traffic to. */
export function readIngress(obj: Json, place: Place): IngressBackend[] {
  const where: Where = { place, path: '' };
  const { namespace } = metadataOf(obj, where);
  const spec = object(obj.spec, at(where, 'spec'));
  const out = ingressBackend(spec.defaultBackend, namespace, at(where, 'spec.defaultBackend'));
  list(spec.rules, at(where, 'spec.rules')).forEach((rule, ri) => {
    const rw = at(at(where, 'spec.rules'), ri);
    const http = optObject(object(rule, rw).http, at(rw, 'http'));
    list(http?.paths, at(rw, 'http.paths')).forEach((path, pi) => {
      const pw = at(at(rw, 'http.paths'), pi);
      out.push(...ingressBackend(object(path, pw).backend, namespace, at(pw, 'backend')));
    });
  });
  return out;
}

/** The services an OpenShift Route sends traffic to, with its target port if it names one. */
export function readRoute(obj: Json, place: Place): IngressBackend[] {
  const where: Where = { place, path: '' };
  const { namespace } = metadataOf(obj, where);
  const spec = object(obj.spec, at(where, 'spec'));
  const port = optIntOrString(
    object(spec.port, at(where, 'spec.port')).targetPort,
    at(where, 'spec.port.targetPort'),
  );
  const targets = [spec.to, ...list(spec.alternateBackends, at(where, 'spec.alternateBackends'))];
  return targets.flatMap((t, i) => {
    const tw = i === 0 ? at(where, 'spec.to') : at(at(where, 'spec.alternateBackends'), i - 1);
    const to = optObject(t, tw);
    if (!to) return [];
    const kind = optString(to.kind, at(tw, 'kind')) ?? 'Service';
    const name = optString(to.name, at(tw, 'name'));
    if (kind !== 'Service' || name === undefined) return [];
    return [{ namespace, service: name, ...(port !== undefined ? { port } : {}) }];
  });
}
