import type { MapEdge } from '../map/index.js';
import { servicePortName } from '../resolve/index.js';
import { infrastructureOf } from './infrastructure.js';
import type { InfrastructureKind } from './infrastructure.js';
import { findRpcPorts } from './rpc.js';
import type { RpcPort } from './rpc.js';

/** The service an edge is allowed by, as the policy will name it. */
export interface EdgeService {
  /** The name in the policy's `services:` (or the spec itself, e.g. `tcp/5026`). */
  readonly name: string;
  readonly specs: readonly string[];
  readonly infrastructure?: InfrastructureKind;
  readonly rpc?: RpcPort;
}

/**
 * Decides the service of every edge: an infrastructure service from the catalogue, one
 * dynamic RPC range, or the observed port, named when Bulkhead knows the port and the name
 * is not shared by another observed port (`http-alt` is 3000, 5000, 8000, 8080 and 9080).
 */
export function classifyEdges(edges: readonly MapEdge[]): Map<MapEdge, EdgeService> {
  const rpc = findRpcPorts(edges);
  const namesUsed = new Map<string, Set<string>>();
  for (const e of edges) {
    if (rpc.has(e) || infrastructureOf(e.service)) continue;
    const name = servicePortName(e.service.split('/')[0]!, e.port);
    if (name) namesUsed.set(name, (namesUsed.get(name) ?? new Set()).add(e.service));
  }

  const out = new Map<MapEdge, EdgeService>();
  for (const e of edges) {
    const port = rpc.get(e);
    const infra = infrastructureOf(e.service);
    if (port) {
      out.set(e, { name: port.range.name, specs: [port.range.spec], rpc: port });
    } else if (infra) {
      out.set(e, {
        name: infra.service.name,
        specs: infra.service.specs,
        infrastructure: infra.kind,
      });
    } else {
      const name = servicePortName(e.service.split('/')[0]!, e.port);
      const unique = name !== undefined && namesUsed.get(name)!.size === 1;
      out.set(e, { name: unique ? name : e.service, specs: [e.service] });
    }
  }
  return out;
}
