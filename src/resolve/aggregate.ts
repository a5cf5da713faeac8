import { EVIDENCE_STRENGTH } from '../domain/index.js';
import type { EdgeHour } from '../domain/index.js';
import type { OrientedFlow } from './direction.js';

const HOUR_MS = 3_600_000;

type MutableEdge = { -readonly [K in keyof EdgeHour]: EdgeHour[K] };

/**
 * Folds oriented flows into per-hour edge aggregates (client, server, protocol, server
 * port). A flow counts in the hour it started.
 */
export function aggregateEdges(flows: Iterable<OrientedFlow>): EdgeHour[] {
  const edges = new Map<string, MutableEdge>();
  for (const item of flows) {
    const { flow } = item;
    const hour = Math.floor(flow.start / HOUR_MS) * HOUR_MS;
    const key = `${hour}|${item.client}|${item.server}|${flow.protocol}|${item.port}`;
    const toServer = item.flipped
      ? { packets: flow.packetsReverse, bytes: flow.bytesReverse }
      : { packets: flow.packets, bytes: flow.bytes };
    const toClient = item.flipped
      ? { packets: flow.packets, bytes: flow.bytes }
      : { packets: flow.packetsReverse, bytes: flow.bytesReverse };
    const rejected = flow.action === 'reject' ? 1 : 0;

    const edge = edges.get(key);
    if (!edge) {
      edges.set(key, {
        hour,
        client: item.client,
        server: item.server,
        protocol: flow.protocol,
        port: item.port,
        firstSeen: flow.start,
        lastSeen: flow.end,
        flows: 1,
        rejected,
        packetsToServer: toServer.packets,
        bytesToServer: toServer.bytes,
        packetsToClient: toClient.packets,
        bytesToClient: toClient.bytes,
        evidence: item.evidence,
      });
      continue;
    }
    edge.firstSeen = Math.min(edge.firstSeen, flow.start);
    edge.lastSeen = Math.max(edge.lastSeen, flow.end);
    edge.flows += 1;
    edge.rejected += rejected;
    edge.packetsToServer += toServer.packets;
    edge.bytesToServer += toServer.bytes;
    edge.packetsToClient += toClient.packets;
    edge.bytesToClient += toClient.bytes;
    if (EVIDENCE_STRENGTH.indexOf(item.evidence) < EVIDENCE_STRENGTH.indexOf(edge.evidence)) {
      edge.evidence = item.evidence;
    }
  }
  return [...edges.values()];
}
