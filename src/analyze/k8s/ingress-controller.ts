/**
 * What Ingresses and Routes expose: the ingress controller reaches the pods behind each
 * backend service on that service's target ports (a named target port resolves against
 * the pod's container ports).
 */
import type { ConnSet } from './conn-set.js';
import { connsOf, NO_CONNS, unionConns } from './conn-set.js';
import { selectorMatches } from './label-selector.js';
import type { Cluster, IngressBackend, Service, ServicePort, Workload } from './model.js';

function selectsWorkload(service: Service, workload: Workload): boolean {
  if (!service.selector || Object.keys(service.selector).length === 0) return false;
  if (service.namespace !== workload.namespace) return false;
  return selectorMatches({ matchLabels: service.selector, matchExpressions: [] }, workload.labels);
}

function portsOfBackend(service: Service, backend: IngressBackend): readonly ServicePort[] {
  const want = backend.port;
  if (want === undefined) return service.ports;
  return service.ports.filter((p) =>
    typeof want === 'number'
      ? p.port === want || p.targetPort === want
      : p.name === want || p.targetPort === want,
  );
}

function targetConns(port: ServicePort, workload: Workload): ConnSet {
  if (typeof port.targetPort === 'number') {
    return connsOf(port.protocol, port.targetPort, port.targetPort);
  }
  return workload.ports
    .filter((c) => c.name === port.targetPort && c.protocol === port.protocol)
    .reduce((acc, c) => unionConns(acc, connsOf(c.protocol, c.port, c.port)), NO_CONNS);
}

/** For each workload that some Ingress or Route reaches, the ports it is reached on. */
export function ingressExposure(cluster: Cluster): Map<Workload, ConnSet> {
  const out = new Map<Workload, ConnSet>();
  for (const backend of cluster.ingressBackends) {
    const service = cluster.services.find(
      (s) => s.namespace === backend.namespace && s.name === backend.service,
    );
    if (!service) continue;
    const ports = portsOfBackend(service, backend);
    for (const workload of cluster.workloads) {
      if (!selectsWorkload(service, workload)) continue;
      const conns = ports.reduce((acc, p) => unionConns(acc, targetConns(p, workload)), NO_CONNS);
      out.set(workload, unionConns(out.get(workload) ?? NO_CONNS, conns));
    }
  }
  return out;
}
