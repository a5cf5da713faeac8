import type { MapEdge } from '../map/index.js';

const TCP = 6;
const ENDPOINT_MAPPER = 135;

/** A range Windows hands dynamic RPC ports out from. */
export interface RpcRange {
  /** The policy service name the range becomes. */
  readonly name: 'rpc-dynamic' | 'rpc-dynamic-legacy';
  readonly spec: string;
  readonly first: number;
  readonly last: number;
  readonly system: string;
}

/**
 * Windows Vista / Server 2008 and later take dynamic RPC ports from the IANA dynamic range
 * 49152–65535; Windows XP / Server 2003 and older from 1025–5000.
 */
export const RPC_RANGES: readonly RpcRange[] = [
  {
    name: 'rpc-dynamic',
    spec: 'tcp/49152-65535',
    first: 49152,
    last: 65535,
    system: 'Windows Vista / Server 2008 and later',
  },
  {
    name: 'rpc-dynamic-legacy',
    spec: 'tcp/1025-5000',
    first: 1025,
    last: 5000,
    system: 'Windows XP / Server 2003 and older',
  },
];

/** Why an edge's server port was taken as a dynamic RPC port. */
export interface RpcPort {
  readonly range: RpcRange;
  /** `endpoint-mapper`: reached after a tcp/135 call; `callback`: DCOM calling a caller back. */
  readonly how: 'endpoint-mapper' | 'callback';
}

/** The dynamic RPC range a TCP port lies in, if any. */
export function rpcRangeOf(port: number): RpcRange | undefined {
  return RPC_RANGES.find((r) => port >= r.first && port <= r.last);
}

/**
 * Finds the edges whose server port is a dynamic RPC port rather than a service of its own.
 *
 * - Endpoint mapper: a client calls tcp/135 on a server, then reaches a port of that server
 *   in a dynamic range. The port is an RPC endpoint of the server from then on, so every
 *   client reaching it there is an RPC client (it may have asked the mapper before the
 *   window began).
 * - Callback: DCOM servers call their clients back (OPC DA data callbacks do). When the
 *   edge's direction is only a guess (`lower-port`) and its client is the server
 *   of RPC calls from its own server, a dynamic-range port there is the caller's endpoint.
 *
 * @param edges Workload-level edges.
 * @returns The RPC port classification per edge (by identity).
 */
export function findRpcPorts(edges: readonly MapEdge[]): Map<MapEdge, RpcPort> {
  const mapperCalls = new Map<string, number>();
  for (const e of edges) {
    if (e.protocol === TCP && e.port === ENDPOINT_MAPPER) {
      mapperCalls.set(pairKey(e.client, e.server), e.firstSeen);
    }
  }

  const endpoints = new Set<string>();
  for (const e of edges) {
    const called = mapperCalls.get(pairKey(e.client, e.server));
    if (e.protocol !== TCP || called === undefined || !rpcRangeOf(e.port)) continue;
    if (called <= e.lastSeen) endpoints.add(`${e.server}|${e.port}`);
  }

  const rpcClients = new Set(mapperCalls.keys());
  const out = new Map<MapEdge, RpcPort>();
  for (const e of edges) {
    const range = e.protocol === TCP ? rpcRangeOf(e.port) : undefined;
    if (!range || !endpoints.has(`${e.server}|${e.port}`)) continue;
    out.set(e, { range, how: 'endpoint-mapper' });
    rpcClients.add(pairKey(e.client, e.server));
  }

  for (const e of edges) {
    const range = e.protocol === TCP ? rpcRangeOf(e.port) : undefined;
    if (!range || out.has(e) || e.evidence !== 'lower-port') continue;
    if (rpcClients.has(pairKey(e.server, e.client))) out.set(e, { range, how: 'callback' });
  }
  return out;
}

function pairKey(client: string, server: string): string {
  return `${client}\u0000${server}`;
}
