import { hasPorts, protocolName } from '../domain/index.js';
import type { Address, DirectionEvidence, Flow } from '../domain/index.js';
import { SERVICE_PORTS } from './service-ports.js';

/** A flow with its client and server decided, and the evidence that decided it. */
export interface OrientedFlow {
  readonly flow: Flow;
  readonly client: Address;
  readonly server: Address;
  /** Server port; ICMP request type; 0 without ports. */
  readonly port: number;
  /** True when the flow's `src` is the server, so its counters swap. */
  readonly flipped: boolean;
  readonly evidence: DirectionEvidence;
}

/** What is known beyond the flows themselves: listening ports from scans and earlier ingests. */
export interface DirectionContext {
  /** Keys `address|protocol|port` of ports known to listen. */
  readonly listening: ReadonlySet<string>;
}

/** The key DirectionContext.listening uses. */
export function listeningKey(address: string, protocol: number, port: number): string {
  return `${address}|${protocol}|${port}`;
}

const FAN_IN_CAP = 4;

/**
 * Counts, per address and port, how many distinct peer addresses it talked with (capped):
 * a server port answers many hosts, a client's ephemeral port one. Addresses, not
 * endpoints: a scanner's one source port meets many ports of one host, which must not
 * make the scanner's port look like a service.
 */
function countPeers(flows: readonly Flow[]): Map<string, Set<string>> {
  const peers = new Map<string, Set<string>>();
  const add = (side: string, peer: string): void => {
    let set = peers.get(side);
    if (!set) peers.set(side, (set = new Set()));
    if (set.size < FAN_IN_CAP) set.add(peer);
  };
  for (const flow of flows) {
    if (!hasPorts(flow.protocol)) continue;
    const src = listeningKey(flow.src, flow.protocol, flow.srcPort);
    const dst = listeningKey(flow.dst, flow.protocol, flow.dstPort);
    add(src, flow.dst);
    add(dst, flow.src);
  }
  return peers;
}

type Side = 'src' | 'dst' | 'none';

function exclusive(srcHas: boolean, dstHas: boolean): Side {
  if (srcHas === dstHas) return 'none';
  return srcHas ? 'src' : 'dst';
}

/**
 * Decides which side of each flow is the server, from the strongest evidence available:
 * the handshake, the flow source's own word, listening ports (scans, and handshakes in
 * this batch or stored), a well-known port on one side only, a registered service port
 * on one side only, one port answering several peers, and last the lower port.
 *
 * @param flows The flows of one ingest (the fan-in figures are counted over them).
 * @param context Ports known to listen from earlier evidence.
 * @returns One oriented flow per input flow, in input order.
 */
export function orientFlows(flows: readonly Flow[], context: DirectionContext): OrientedFlow[] {
  const listening = new Set(context.listening);
  for (const flow of flows) {
    if (flow.origin === 'handshake' && hasPorts(flow.protocol)) {
      listening.add(listeningKey(flow.dst, flow.protocol, flow.dstPort));
    }
  }
  const peers = countPeers(flows);
  return flows.map((flow) => orientFlow(flow, listening, peers));
}

function orientFlow(
  flow: Flow,
  listening: ReadonlySet<string>,
  peers: ReadonlyMap<string, Set<string>>,
): OrientedFlow {
  if (flow.origin !== 'unknown') {
    return oriented(flow, 'dst', flow.origin === 'handshake' ? 'handshake' : 'sensor');
  }
  const group = exclusive(
    isGroupServer(flow.src) || isUnspecified(flow.dst),
    isGroupServer(flow.dst) || isUnspecified(flow.src),
  );
  if (group !== 'none') return oriented(flow, group, 'group-address');
  if (!hasPorts(flow.protocol)) return oriented(flow, 'dst', 'sensor');

  const srcKey = listeningKey(flow.src, flow.protocol, flow.srcPort);
  const dstKey = listeningKey(flow.dst, flow.protocol, flow.dstPort);
  const proto = protocolName(flow.protocol);
  const checks: readonly [DirectionEvidence, Side][] = [
    ['listening', exclusive(listening.has(srcKey), listening.has(dstKey))],
    [
      'well-known-port',
      exclusive(
        isWellKnown(flow.srcPort) && !CLIENT_PORTS.has(`${proto}/${flow.srcPort}`),
        isWellKnown(flow.dstPort) && !CLIENT_PORTS.has(`${proto}/${flow.dstPort}`),
      ),
    ],
    [
      'service-port',
      exclusive(
        SERVICE_PORTS.has(`${proto}/${flow.srcPort}`),
        SERVICE_PORTS.has(`${proto}/${flow.dstPort}`),
      ),
    ],
    ['fan-in', fanIn(peers.get(srcKey)?.size ?? 0, peers.get(dstKey)?.size ?? 0)],
  ];
  for (const [evidence, server] of checks) {
    if (server !== 'none') return oriented(flow, server, evidence);
  }
  return oriented(flow, flow.srcPort < flow.dstPort ? 'src' : 'dst', 'lower-port');
}

/**
 * Well-known ports that belong to the client of their protocol: DHCP's client port 68 and
 * DHCPv6's 546 answer the server's 67 and 547, so they never mark a server.
 */
const CLIENT_PORTS = new Set(['udp/68', 'udp/546']);

/**
 * Whether an address can only be the server side: a multicast or broadcast destination
 * (nothing answers from it): 224.0.0.0/4, 255.255.255.255 and ff00::/8. Read off the
 * canonical text, since this runs twice per flow and parsing would dominate an ingest.
 */
function isGroupServer(address: Address): boolean {
  if (address.includes(':')) return address.startsWith('ff');
  const first = Number(address.slice(0, address.indexOf('.')));
  return (first >= 224 && first <= 239) || address === '255.255.255.255';
}

/** Whether an address is the unspecified one, which only a client uses (DHCP discovery). */
function isUnspecified(address: Address): boolean {
  return address === '0.0.0.0' || address === '::';
}

function isWellKnown(port: number): boolean {
  return port > 0 && port < 1024;
}

function fanIn(srcPeers: number, dstPeers: number): Side {
  if (srcPeers >= 2 && dstPeers < srcPeers && dstPeers <= 1) return 'src';
  if (dstPeers >= 2 && srcPeers < dstPeers && srcPeers <= 1) return 'dst';
  return 'none';
}

function oriented(flow: Flow, server: 'src' | 'dst', evidence: DirectionEvidence): OrientedFlow {
  const flipped = server === 'src';
  return {
    flow,
    client: flipped ? flow.dst : flow.src,
    server: flipped ? flow.src : flow.dst,
    port: flipped ? flow.srcPort : flow.dstPort,
    flipped,
    evidence,
  };
}
