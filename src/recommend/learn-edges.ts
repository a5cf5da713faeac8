import { EVIDENCE_STRENGTH, formatService } from '../domain/index.js';
import type { Address, EdgeHour, Workload } from '../domain/index.js';
import type { MapEdge } from '../map/index.js';
import { indexAddresses } from '../map/index.js';

const DAY_MS = 86_400_000;

/**
 * A workload-level edge as the recommendation learns from it: a map edge plus how many
 * distinct UTC days it was active and which addresses stood behind its two ends.
 */
export interface LearnedEdge extends MapEdge {
  /** The UTC days (days since the epoch) with at least one flow, ascending. */
  readonly activeDays: readonly number[];
  readonly clientAddress: Address;
  readonly serverAddress: Address;
}

/** A learning window: hours starting at or after `since` and before `until` (ms). */
export interface LearningWindow {
  readonly since?: number;
  readonly until?: number;
}

type MutableLearned = { -readonly [K in keyof LearnedEdge]: LearnedEdge[K] } & {
  dayIndexes: Set<number>;
};

/**
 * Folds hourly edges into workload-level edges in one pass, so the hours may come from
 * a generator and never sit in memory together (10 million stored flows fit in a bounded
 * heap this way). Addresses without a workload stay addresses, as in the map.
 *
 * @param workloads Every workload of the workspace.
 * @param hours Stored hourly edges, in any order.
 * @param window Hours outside it are skipped (the store usually filters already).
 * @returns One edge per client, server and service, sorted like the map's.
 */
export function learnEdges(
  workloads: readonly Workload[],
  hours: Iterable<EdgeHour>,
  window: LearningWindow = {},
): LearnedEdge[] {
  const byAddress = indexAddresses(workloads);
  const merged = new Map<string, MutableLearned>();
  for (const hour of hours) {
    if (window.since !== undefined && hour.hour < window.since) continue;
    if (window.until !== undefined && hour.hour >= window.until) continue;

    const client = byAddress.get(hour.client)?.name ?? hour.client;
    const server = byAddress.get(hour.server)?.name ?? hour.server;
    const key = `${client}|${server}|${hour.protocol}|${hour.port}`;
    const old = merged.get(key);
    if (old) addHour(old, hour);
    else merged.set(key, startEdge(client, server, hour));
  }

  return [...merged.values()]
    .map(({ dayIndexes, ...edge }) => ({
      ...edge,
      activeDays: [...dayIndexes].sort((a, b) => a - b),
    }))
    .sort(compareEdges);
}

function startEdge(client: string, server: string, hour: EdgeHour): MutableLearned {
  return {
    client,
    server,
    clientAddress: hour.client,
    serverAddress: hour.server,
    protocol: hour.protocol,
    port: hour.port,
    service: formatService(hour.protocol, hour.port),
    flows: hour.flows,
    rejected: hour.rejected,
    packets: hour.packetsToServer + hour.packetsToClient,
    bytes: hour.bytesToServer + hour.bytesToClient,
    firstSeen: hour.firstSeen,
    lastSeen: hour.lastSeen,
    evidence: hour.evidence,
    activeDays: [],
    dayIndexes: new Set([Math.floor(hour.hour / DAY_MS)]),
  };
}

function addHour(edge: MutableLearned, hour: EdgeHour): void {
  edge.flows += hour.flows;
  edge.rejected += hour.rejected;
  edge.packets += hour.packetsToServer + hour.packetsToClient;
  edge.bytes += hour.bytesToServer + hour.bytesToClient;
  edge.firstSeen = Math.min(edge.firstSeen, hour.firstSeen);
  edge.lastSeen = Math.max(edge.lastSeen, hour.lastSeen);
  edge.dayIndexes.add(Math.floor(hour.hour / DAY_MS));
  if (EVIDENCE_STRENGTH.indexOf(hour.evidence) < EVIDENCE_STRENGTH.indexOf(edge.evidence)) {
    edge.evidence = hour.evidence;
  }
}

/**
 * The active UTC days of an edge. A plain map edge has no hours, so only the days of its
 * first and last flow are known: a lower bound of the days in between.
 */
export function daysOf(edge: MapEdge | LearnedEdge): readonly number[] {
  if ('activeDays' in edge) return edge.activeDays;
  const first = Math.floor(edge.firstSeen / DAY_MS);
  const last = Math.floor(edge.lastSeen / DAY_MS);
  return first === last ? [first] : [first, last];
}

function compareEdges(a: MapEdge, b: MapEdge): number {
  return (
    a.client.localeCompare(b.client, 'en', { numeric: true }) ||
    a.server.localeCompare(b.server, 'en', { numeric: true }) ||
    a.protocol - b.protocol ||
    a.port - b.port
  );
}
