import { createInterface } from 'node:readline';
import { InputError } from '../../domain/index.js';
import { createReport, reject, skip } from '../report.js';
import type { FlowSink, ReadReport } from '../report.js';
import { createVpcLayout, parseVpcHeader, VPC_DEFAULT_FIELDS } from './layout.js';
import type { VpcLayout } from './layout.js';
import { openText } from '../open-text.js';
import { parseVpcRecord } from './record.js';

/** The format name ReadReports of this reader carry. */
export const VPC_FORMAT = 'vpc';

/** Line state of one file: its layout once known and the header text, to skip repeats. */
interface VpcReadState {
  layout: VpcLayout | undefined;
  header: string | undefined;
}

/** Splits a record once; falls back to any run of blanks only when the count is off. */
function splitRecord(line: string, count: number): string[] {
  const fields = line.split(' ');
  if (fields.length === count) return fields;
  return line.trim().split(/\s+/);
}

function readLine(
  line: string,
  lineNumber: number,
  state: VpcReadState,
  report: ReadReport,
  sink: FlowSink,
): void {
  if (state.layout === undefined) {
    const header = parseVpcHeader(line);
    state.layout = createVpcLayout(header ?? VPC_DEFAULT_FIELDS, {
      file: report.file,
      line: lineNumber,
    });
    state.header = header === undefined ? undefined : line;
    if (header !== undefined) return;
  }
  // Log files joined with cat repeat their header; it is not a record.
  if (line === state.header) return;

  report.read += 1;
  const layout = state.layout;
  const fields = splitRecord(line, layout.fields.length);
  if (fields.length !== layout.fields.length) {
    const message = `record has ${fields.length} fields, the layout has ${layout.fields.length} (${layout.fields.join(' ')}): write one value or - per field`;
    reject(report, lineNumber, message);
    return;
  }

  const status = layout.logStatus < 0 ? undefined : fields[layout.logStatus];
  if (status === 'NODATA' || status === 'SKIPDATA') {
    skip(report, status);
    return;
  }

  try {
    sink(parseVpcRecord(fields, layout));
    report.flows += 1;
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    reject(report, lineNumber, err.message);
  }
}

/**
 * Reads an AWS VPC flow log file, plain or gzip-compressed, line by line, and hands each
 * flow to the sink.
 *
 * The first line is a header when it lists field names (any order, any version); otherwise
 * the file is taken as the version 2 default format. NODATA and SKIPDATA records are
 * skipped under that reason; records that cannot be read are rejected with their line.
 * `pkt-srcaddr` and `pkt-dstaddr`, when set, are taken as the endpoints. Records are
 * one-way: the reverse counters are 0. ICMP records keep srcport and dstport as logged
 * (VPC flow logs carry no ICMP type or code, so both are usually 0).
 *
 * @param file Path of the log; `.gz` is detected by content, not by name.
 * @param sink Receives each flow in file order.
 * @returns What was read, skipped and rejected.
 * @throws InputError when the file cannot be opened or decompressed, or its header is unusable.
 * @example
 * const flows: Flow[] = [];
 * const report = await readVpcFlowLog('flows.log.gz', (flow) => flows.push(flow));
 */
export async function readVpcFlowLog(file: string, sink: FlowSink): Promise<ReadReport> {
  const report = createReport(file, VPC_FORMAT);
  const state: VpcReadState = { layout: undefined, header: undefined };
  let lineNumber = 0;

  try {
    const input = await openText(file);
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      lineNumber += 1;
      if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) continue;
      readLine(line, lineNumber, state, report, sink);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    const message = `Cannot read VPC flow log "${file}": ${reason}; check that the file exists and, when compressed, is complete gzip`;
    const place = lineNumber > 0 ? { file, line: lineNumber } : { file };
    throw new InputError(message, place, { cause: err });
  }
  return report;
}
