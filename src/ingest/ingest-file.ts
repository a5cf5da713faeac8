import { existsSync, statSync } from 'node:fs';

import { InputError } from '../domain/index.js';
import type { Workload } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { createEdgeWriter } from './edge-writer.js';
import { chooseFormat } from './formats.js';
import type { ReadReport } from './report.js';

/** What one ingest stored, on top of what its reader reported. */
export interface IngestSummary extends ReadReport {
  /** Hourly edge aggregates written. */
  readonly edges: number;
  /** Workloads created for addresses seen in flows but in no inventory. */
  readonly discovered: number;
}

/**
 * Reads a flow file, orients every flow (client and server), aggregates per hour and
 * edge, and stores the result; addresses not yet known become discovered workloads.
 *
 * @throws InputError when the file is missing or its format cannot be told.
 */
export async function ingestFile(
  store: Store,
  file: string,
  formatName?: string,
): Promise<IngestSummary> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(`Cannot read flows: no such file; check the path`, { file });
  }
  const format = await chooseFormat(file, formatName);

  const writer = createEdgeWriter(store);
  const named = new Map<string, Workload>();
  const report = await format.read(
    file,
    (flow) => {
      writer.add(flow);
    },
    (workload) => {
      named.set(workload.name, workload);
    },
  );
  // Workloads the source names go in first, so the last batch resolves to them.
  if (named.size > 0) store.importWorkloads([...named.values()], `${report.format}:${file}`);
  writer.flush();
  store.recordIngest({
    file,
    format: report.format,
    read: report.read,
    flows: report.flows,
    rejected: report.rejected,
    skipped: report.skipped,
  });
  return { ...report, ...writer.totals };
}
