import type { Address, Flow } from '../../domain/index.js';
import { aggregateEdges, listeningKey, orientFlows } from '../../resolve/index.js';
import type { Store } from '../../store/index.js';

/** What a batcher has written so far. */
export interface EdgeBatchTotals {
  flows: number;
  /** Hourly edge aggregates written (an edge written in two batches counts twice). */
  edges: number;
  discovered: number;
  batches: number;
}

/** Turns a stream of flows into stored hourly edges, one bounded batch at a time. */
export interface EdgeBatcher {
  /** Holds a flow; writes the batch when it reaches the batch size. */
  add(flow: Flow): void;
  /** Writes what is held (the collector calls it on a timer and on exit). */
  flush(): void;
  /** Flows held, not yet written. */
  pending(): number;
  readonly totals: EdgeBatchTotals;
}

/**
 * Creates a batcher that orients each batch (client and server), aggregates it per hour
 * and edge, adds the edges to the store and names unknown addresses as discovered
 * workloads — the path `ingestFile` takes for a file, cut into batches so a collector
 * running for days holds at most `batchFlows` flows. Fan-in evidence is counted within a
 * batch; listening ports from handshakes carry over between batches.
 */
export function createEdgeBatcher(store: Store, batchFlows: number): EdgeBatcher {
  const listening = new Set(
    store.listListening().map((l) => listeningKey(l.address, l.protocol, l.port)),
  );
  const totals: EdgeBatchTotals = { flows: 0, edges: 0, discovered: 0, batches: 0 };
  let batch: Flow[] = [];

  const flush = (): void => {
    if (batch.length === 0) return;
    const flows = batch;
    batch = [];
    for (const flow of flows) {
      if (flow.origin === 'handshake')
        listening.add(listeningKey(flow.dst, flow.protocol, flow.dstPort));
    }
    const edges = aggregateEdges(orientFlows(flows, { listening }));
    store.addEdges(edges);

    const addresses = new Set<Address>();
    for (const edge of edges) {
      addresses.add(edge.client);
      addresses.add(edge.server);
    }
    totals.flows += flows.length;
    totals.edges += edges.length;
    totals.discovered += store.ensureDiscovered(addresses);
    totals.batches += 1;
  };

  return {
    add(flow) {
      batch.push(flow);
      if (batch.length >= batchFlows) flush();
    },
    flush,
    pending: () => batch.length,
    totals,
  };
}
