import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InputError } from '../../domain/index.js';
import { CsvSyntaxError, parseCsv } from '../inventory/csv.js';
import { createReport, reject } from '../report.js';
import type { FlowSink, ReadReport } from '../report.js';
import { openText } from '../open-text.js';
import { CSV_FLOW_KEYS } from './mapping.js';
import type { CsvFlowKey, CsvFlowMapping } from './mapping.js';
import { parseCsvFlowRow } from './row.js';
import type { CsvFlowColumns } from './row.js';

/** The format name ReadReports of this reader carry. */
export const CSV_FLOWS_FORMAT = 'csv-flows';

/** A record whose quoted cell spans more text than this is refused rather than held. */
const MAX_RECORD = 1024 * 1024;

/** The header's columns for each mapped key. */
function columnsOf(
  header: readonly string[],
  mapping: CsvFlowMapping,
  file: string,
  line: number,
): CsvFlowColumns {
  const names = header.map((name) => name.trim());
  const columns: Partial<Record<CsvFlowKey, { index: number; name: string }>> = {};
  for (const key of CSV_FLOW_KEYS) {
    const wanted = mapping[key];
    if (wanted === undefined) continue;
    let index = names.indexOf(wanted);
    if (index < 0) index = names.findIndex((name) => name.toLowerCase() === wanted.toLowerCase());
    if (index < 0) {
      const message = `Cannot read CSV flows: column "${wanted}" for key "${key}" is not in the header; the header has ${names.join(', ')}; fix --map or the header`;
      throw new InputError(message, { file, line });
    }
    columns[key] = { index, name: names[index]! };
  }
  return columns;
}

function quotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n += 1;
  return n;
}

/**
 * Reads flows from CSV (RFC 4180, plain or gzip) whose first record is a header, taking
 * each flow field from the column the mapping names, line by line. Times are RFC 3339, or
 * epoch seconds or milliseconds (below 1e11 is seconds); protocols a name or number. A row
 * without a start time takes the file's modification time. Rows are one-way flows with
 * origin `unknown`.
 *
 * @param file Path of the CSV; gzip is detected by content.
 * @param sink Receives each flow in file order.
 * @param mapping Which column fills which field; see {@link parseCsvFlowMapping}.
 * @returns What was read and rejected.
 * @throws InputError when the file cannot be read or the header lacks a mapped column.
 * @example
 * const parsed = parseCsvFlowMapping('src=srcip,dst=dstip,dport=port,proto=proto');
 * if ('mapping' in parsed) await readCsvFlows('flows.csv', (flow) => flows.push(flow), parsed.mapping);
 */
export async function readCsvFlows(
  file: string,
  sink: FlowSink,
  mapping: CsvFlowMapping,
): Promise<ReadReport> {
  const report = createReport(file, CSV_FLOWS_FORMAT);
  let lineNumber = 0;
  let columns: CsvFlowColumns | undefined;
  let width = 0;
  let pending = '';
  let pendingLine = 0;
  let fallback = 0;

  const record = (text: string, line: number): void => {
    let cells: string[];
    let problem: string | undefined;
    try {
      const first = parseCsv(text).next();
      if (first.done === true) return;
      cells = first.value.cells;
      problem = first.value.problem;
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      report.read += 1;
      reject(report, line, err.message);
      return;
    }
    if (columns === undefined) {
      columns = columnsOf(cells, mapping, file, line);
      width = cells.length;
      return;
    }
    report.read += 1;
    if (problem !== undefined) {
      reject(report, line, problem);
      return;
    }
    if (cells.length !== width) {
      reject(
        report,
        line,
        `row has ${cells.length} cells, the header has ${width}: write one cell per column, empty when unknown`,
      );
      return;
    }
    try {
      sink(parseCsvFlowRow(cells, columns, fallback));
      report.flows += 1;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      reject(report, line, err.message);
    }
  };

  try {
    fallback = Math.floor((await stat(file)).mtimeMs);
    const input = await openText(file);
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber += 1;
      if (pending === '' && line.trim() === '') continue;
      if (pending === '') pendingLine = lineNumber;
      pending = pending === '' ? line : `${pending}\n${line}`;
      // A record ends where its quotes balance: an odd count means a quoted cell is open.
      if (quotes(pending) % 2 === 1 && pending.length <= MAX_RECORD) continue;
      record(pending, pendingLine);
      pending = '';
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    const message = `Cannot read CSV flows "${file}": ${reason}; check that the file exists and, when compressed, is complete gzip`;
    throw new InputError(message, lineNumber > 0 ? { file, line: lineNumber } : { file }, {
      cause: err,
    });
  }
  if (pending !== '') record(pending, pendingLine);
  return report;
}
