import { hasPorts } from '../domain/index.js';
import type { Address, DirectionEvidence } from '../domain/index.js';
import type { OrientedFlow } from '../resolve/index.js';
import { rpcRangeOf } from './rpc.js';

/** The extra evidence `refineOrientation` weighs, strongest first. */
export type OrientationRefinement = 'endpoint-mapper' | 'client-port-range' | 'rpc-callback';

/** An oriented flow, with what the refinement found when it looked at it. */
export interface RefinedFlow extends OrientedFlow {
  readonly refinement?: {
    readonly by: OrientationRefinement;
    /** The evidence resolve had used. */
    readonly was: DirectionEvidence;
    readonly swapped: boolean;
    readonly detail: string;
  };
}

/**
 * Ephemeral ranges operating systems pick client ports from, narrowest first: IANA and
 * Windows Vista and later 49152–65535, Windows XP / Server 2003 1025–5000, Linux
 * 32768–60999 (`net.ipv4.ip_local_port_range`).
 */
const CLIENT_RANGES: readonly (readonly [number, number, string])[] = [
  [1025, 5000, '1025–5000 (older Windows)'],
  [49152, 65535, '49152–65535 (IANA, newer Windows)'],
  [32768, 60999, '32768–60999 (Linux)'],
];

const TCP = 6;

type Side = 'src' | 'dst';

/**
 * Re-examines the flows whose direction resolve could only guess (`lower-port`,
 * `fan-in`) with evidence that needs the whole batch:
 *
 * 1. endpoint mapper: a port in a dynamic RPC range on a host whose tcp/135 the peer
 *    called before, or a port already shown to be such an RPC endpoint, is the server's;
 * 2. client port range: each host's client ports under strong evidence reveal the
 *    ephemeral range its system uses; a port inside its host's range facing a port
 *    outside the peer's range is the client's;
 * 3. RPC callback: a host that called its peer's endpoint mapper (or one of its RPC
 *    endpoints) serves DCOM callbacks on a port in its dynamic RPC range.
 *
 * Flows with strong evidence pass unchanged.
 *
 * @param flows Oriented flows of one capture or batch.
 * @returns The flows in input order; refined ones carry `refinement`.
 */
export function refineOrientation(flows: readonly OrientedFlow[]): RefinedFlow[] {
  const ranges = clientRanges(flows);
  const mapper = mapperCalls(flows);
  const endpoints = rpcEndpoints(flows, mapper);
  const rpcClients = new Set(mapper.keys());
  for (const f of flows) {
    if (endpoints.has(`${f.server}|${f.port}`)) rpcClients.add(`${f.client}|${f.server}`);
  }

  return flows.map((f) => {
    if (!isWeak(f)) return f;
    const { flow } = f;
    const port = (side: Side): number => (side === 'src' ? flow.srcPort : flow.dstPort);
    const host = (side: Side): Address => (side === 'src' ? flow.src : flow.dst);
    const other = (side: Side): Side => (side === 'src' ? 'dst' : 'src');

    const isEndpoint = (s: Side): boolean =>
      flow.protocol === TCP &&
      rpcRangeOf(port(s)) !== undefined &&
      (endpoints.has(`${host(s)}|${port(s)}`) ||
        (host(other(s)) === flow.src &&
          (mapper.get(`${host(other(s))}|${host(s)}`) ?? Infinity) <= flow.start));
    const inRange = (s: Side): boolean | undefined => {
      const range = ranges.get(host(s));
      return range && port(s) >= range[0] && port(s) <= range[1];
    };
    const isClientByRange = (s: Side): boolean =>
      inRange(s) === true && inRange(other(s)) === false;
    // A port answering several peers (fan-in) is not overturned by a callback guess.
    const isCallback = (s: Side): boolean =>
      f.evidence === 'lower-port' &&
      flow.protocol === TCP &&
      rpcRangeOf(port(s)) !== undefined &&
      rpcClients.has(`${host(s)}|${host(other(s))}`);

    const checks: readonly [OrientationRefinement, Side | undefined, string][] = [
      ['endpoint-mapper', pick(isEndpoint), 'RPC endpoint reached after a tcp/135 call'],
      [
        'client-port-range',
        flipSide(pick(isClientByRange)),
        'the other port lies in its host’s client port range',
      ],
      ['rpc-callback', pick(isCallback), 'DCOM callback to a host that called its peer over RPC'],
    ];
    for (const [by, server, why] of checks) {
      if (server === undefined) continue;
      const range = ranges.get(host(other(server)));
      const detail = `${why}${by === 'client-port-range' && range ? `: ${range[2]}` : ''}`;
      return orient(f, server, by, detail);
    }
    return f;
  });
}

function isWeak(f: OrientedFlow): boolean {
  return (f.evidence === 'lower-port' || f.evidence === 'fan-in') && hasPorts(f.flow.protocol);
}

/** The one side a test holds for; undefined when it holds for both or neither. */
function pick(test: (side: Side) => boolean): Side | undefined {
  const src = test('src');
  const dst = test('dst');
  if (src === dst) return undefined;
  return src ? 'src' : 'dst';
}

function flipSide(side: Side | undefined): Side | undefined {
  if (side === undefined) return undefined;
  return side === 'src' ? 'dst' : 'src';
}

function orient(
  f: OrientedFlow,
  server: Side,
  by: OrientationRefinement,
  detail: string,
): RefinedFlow {
  const { flow } = f;
  const flipped = server === 'src';
  return {
    flow,
    client: flipped ? flow.dst : flow.src,
    server: flipped ? flow.src : flow.dst,
    port: flipped ? flow.srcPort : flow.dstPort,
    flipped,
    evidence: by,
    refinement: { by, was: f.evidence, swapped: flipped !== f.flipped, detail },
  };
}

/** Per host, the narrowest ephemeral range holding every client port seen under strong evidence. */
function clientRanges(
  flows: readonly OrientedFlow[],
): Map<string, readonly [number, number, string]> {
  const ports = new Map<string, number[]>();
  for (const f of flows) {
    if (isWeak(f) || !hasPorts(f.flow.protocol)) continue;
    const port = f.flipped ? f.flow.dstPort : f.flow.srcPort;
    const list = ports.get(f.client);
    if (list) list.push(port);
    else ports.set(f.client, [port]);
  }
  const out = new Map<string, readonly [number, number, string]>();
  for (const [host, list] of ports) {
    const range = CLIENT_RANGES.find(([lo, hi]) => list.every((p) => p >= lo && p <= hi));
    if (range) out.set(host, range);
  }
  return out;
}

/** Earliest tcp/135 call per `client|server`. */
function mapperCalls(flows: readonly OrientedFlow[]): Map<string, number> {
  const calls = new Map<string, number>();
  for (const f of flows) {
    if (f.flow.protocol !== TCP || f.port !== 135 || isWeak(f)) continue;
    const key = `${f.client}|${f.server}`;
    calls.set(key, Math.min(calls.get(key) ?? Infinity, f.flow.start));
  }
  return calls;
}

/** `server|port` of dynamic RPC ports a client reached after calling that server's tcp/135. */
function rpcEndpoints(
  flows: readonly OrientedFlow[],
  mapper: ReadonlyMap<string, number>,
): Set<string> {
  const endpoints = new Set<string>();
  for (const f of flows) {
    if (f.flow.protocol !== TCP || rpcRangeOf(f.port) === undefined) continue;
    const called = mapper.get(`${f.client}|${f.server}`);
    if (called !== undefined && called <= f.flow.start) endpoints.add(`${f.server}|${f.port}`);
  }
  return endpoints;
}
