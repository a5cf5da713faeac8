import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

import { InputError } from '../domain/index.js';
import type { Workload } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { createEdgeWriter } from './edge-writer.js';
import { chooseFormat } from './formats.js';
import type { FlowFormat } from './formats.js';
import { isCsvFlows, readCsvFlows } from './csv-flows/index.js';
import type { CsvFlowMapping } from './csv-flows/index.js';
import type { ReadReport } from './report.js';

/** Options of one ingest. */
export interface IngestOptions {
  /** Force a format instead of detecting it. */
  readonly format?: string;
  /** Ingest a file whose content was ingested before (its flows then count twice). */
  readonly again?: boolean;
  /** Incremented for every flow read, for a progress display. */
  readonly counter?: { flows: number };
  /** CSV flows with these column names (implies the CSV flow format). */
  readonly csvMapping?: CsvFlowMapping;
}

/** A digest of a file's size, first MiB and last MiB: cheap on large files, and enough to
 * recognise the same capture or log ingested twice. */
async function fingerprintFile(file: string): Promise<string> {
  const size = statSync(file).size;
  const handle = await open(file, 'r');
  try {
    const hash = createHash('sha256').update(String(size));
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    await handle.read(chunk, 0, chunk.length, 0);
    hash.update(chunk);
    await handle.read(chunk, 0, chunk.length, Math.max(0, size - chunk.length));
    hash.update(chunk);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

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
  options: IngestOptions = {},
): Promise<IngestSummary> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(`Cannot read flows: no such file; check the path`, { file });
  }
  if (statSync(file).size === 0) {
    throw new InputError('Cannot read flows: the file is empty', { file });
  }
  const fingerprint = await fingerprintFile(file);
  const earlier = store.findIngest(fingerprint);
  if (earlier && !options.again) {
    throw new InputError(
      `Cannot ingest the file again: the same content was ingested before (as ${earlier.file}), and its flows would count twice; pass --again to ingest it anyway`,
      { file },
    );
  }
  const format: FlowFormat = options.csvMapping
    ? csvFormatWith(options.csvMapping)
    : await chooseFormat(file, options.format);

  const writer = createEdgeWriter(store);
  const { counter } = options;
  const named = new Map<string, Workload>();
  const report = await format.read(
    file,
    (flow) => {
      writer.add(flow);
      if (counter) counter.flows += 1;
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
    fingerprint,
  });
  return { ...report, ...writer.totals };
}

function csvFormatWith(mapping: CsvFlowMapping): FlowFormat {
  return {
    name: 'csv-flows',
    description: 'CSV flows with a column mapping',
    sniff: isCsvFlows,
    read: (file, sink) => readCsvFlows(file, sink, mapping),
  };
}
