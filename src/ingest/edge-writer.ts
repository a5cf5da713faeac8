import type { Address, Flow } from '../domain/index.js';
import { aggregateEdges, listeningKey, orientFlows } from '../resolve/index.js';
import { refineOrientation } from '../recommend/index.js';
import type { Store } from '../store/index.js';

/** How many flows are held before they are oriented, aggregated and written. */
export const DEFAULT_BATCH = 100_000;

/** Turns flows into stored edges in bounded batches. */
export interface EdgeWriter {
  /** Takes one flow; writes a batch when it is full. */
  add(flow: Flow): void;
  /** Writes what is held. */
  flush(): void;
  /** Hourly edge aggregates written so far, and workloads discovered. */
  readonly totals: { edges: number; discovered: number };
}

/**
 * Creates a writer that orients flows (client and server), aggregates them per hour and
 * edge, and writes them to the store in batches, so memory stays bounded however long
 * the input. Fan-in evidence is counted per batch; listening ports learned from
 * handshakes carry over from batch to batch.
 */
export function createEdgeWriter(store: Store, batchSize = DEFAULT_BATCH): EdgeWriter {
  const listening = new Set(
    store.listListening().map((l) => listeningKey(l.address, l.protocol, l.port)),
  );
  const totals = { edges: 0, discovered: 0 };
  let batch: Flow[] = [];

  const flush = (): void => {
    if (batch.length === 0) return;
    for (const flow of batch) {
      if (flow.origin === 'handshake')
        listening.add(listeningKey(flow.dst, flow.protocol, flow.dstPort));
    }
    const edges = aggregateEdges(refineOrientation(orientFlows(batch, { listening })));
    batch = [];
    store.addEdges(edges);
    const addresses = new Set<Address>();
    for (const edge of edges) {
      addresses.add(edge.client);
      addresses.add(edge.server);
    }
    totals.edges += edges.length;
    totals.discovered += store.ensureDiscovered(addresses);
  };

  return {
    add(flow: Flow): void {
      batch.push(flow);
      if (batch.length >= batchSize) flush();
    },
    flush,
    totals,
  };
}
