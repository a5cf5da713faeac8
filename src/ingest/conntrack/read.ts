import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InputError } from '../../domain/index.js';
import { createReport, reject, skip } from '../report.js';
import type { FlowSink, ReadReport, WorkloadSink } from '../report.js';
import { openText } from '../open-text.js';
import { conntrackFlow } from './entry.js';
import type { ConntrackEntry } from './entry.js';
import { parseConntrackLine } from './text.js';
import type { ConntrackLine } from './text.js';
import { parseConntrackXmlFlow } from './xml.js';

/** The format name ReadReports of this reader carry. */
export const CONNTRACK_FORMAT = 'conntrack';

/** A `<flow>` element is a few hundred bytes; one larger than this is not conntrack's. */
const MAX_FLOW_XML = 64 * 1024;

/** The XML being collected: the text of the open `<flow>` and the line it started on. */
interface XmlState {
  parts: string[];
  size: number;
  line: number;
}

function take(
  report: ReadReport,
  sink: FlowSink,
  line: number,
  entry: () => ConntrackEntry,
  time: number,
): void {
  try {
    sink(conntrackFlow(entry(), time));
    report.flows += 1;
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    reject(report, line, err.message);
  }
}

function readTextLine(
  line: string,
  lineNumber: number,
  report: ReadReport,
  sink: FlowSink,
  time: number,
): void {
  let parsed: ConntrackLine;
  try {
    parsed = parseConntrackLine(line);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    report.read += 1;
    reject(report, lineNumber, err.message);
    return;
  }
  // The tool's own "N flow entries have been shown" line is not a record.
  if ('skip' in parsed && parsed.skip === 'summary') return;
  report.read += 1;
  if ('skip' in parsed) {
    skip(report, parsed.skip);
    return;
  }
  take(report, sink, lineNumber, () => parsed.entry, time);
}

function readXmlLine(
  line: string,
  lineNumber: number,
  state: XmlState,
  report: ReadReport,
  sink: FlowSink,
  time: number,
): void {
  let rest = line;
  while (rest.length > 0) {
    if (state.line === 0) {
      const open = rest.indexOf('<flow');
      if (open < 0) return;
      state.line = lineNumber;
      rest = rest.slice(open);
    }
    const close = rest.indexOf('</flow>');
    const piece = close < 0 ? rest : rest.slice(0, close + 7);
    state.size += piece.length;
    if (state.size <= MAX_FLOW_XML) state.parts.push(piece);
    if (close < 0) return;

    report.read += 1;
    const xml = state.parts.join('\n');
    const at = state.line;
    if (state.size > MAX_FLOW_XML) {
      reject(
        report,
        at,
        `flow element is larger than ${MAX_FLOW_XML} characters: expected conntrack -o xml output`,
      );
    } else {
      take(report, sink, at, () => parseConntrackXmlFlow(xml), time);
    }
    state.parts = [];
    state.size = 0;
    state.line = 0;
    rest = rest.slice(close + 7);
  }
}

/**
 * Reads the connection tracking table as `conntrack -L` prints it, `-o extended` text
 * (plain text too) or `-o xml`, plain or gzip, and hands each entry to the sink as a flow
 * from its original direction (the initiator, origin `sensor`).
 *
 * `conntrack -L` records no times, so every flow takes the file's modification time (when
 * the table was saved) as start and end. Counters are present only when the kernel counts
 * (`nf_conntrack_acct=1`); otherwise they are 0. The NAT translation the reply tuple shows
 * is not kept: the flow is what the initiator addressed.
 *
 * @param file Path of the saved output; gzip is detected by content.
 * @param sink Receives each flow in file order.
 * @param _workloads Unused: conntrack names no workloads.
 * @returns What was read, skipped and rejected.
 * @throws InputError when the file cannot be opened or decompressed.
 * @example
 * // conntrack -L -o extended > table.txt
 * const report = await readConntrack('table.txt', (flow) => flows.push(flow));
 */
export async function readConntrack(
  file: string,
  sink: FlowSink,
  // Kept so every reader has one signature; conntrack names no workloads.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  _workloads?: WorkloadSink,
): Promise<ReadReport> {
  const report = createReport(file, CONNTRACK_FORMAT);
  let lineNumber = 0;
  let mode: 'text' | 'xml' | undefined;
  const state: XmlState = { parts: [], size: 0, line: 0 };

  try {
    const time = Math.floor((await stat(file)).mtimeMs);
    const input = await openText(file);
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber += 1;
      if (line.trim().length === 0) continue;
      mode ??= line.trimStart().startsWith('<') ? 'xml' : 'text';
      if (mode === 'text') readTextLine(line, lineNumber, report, sink, time);
      else readXmlLine(line, lineNumber, state, report, sink, time);
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `Cannot read conntrack table "${file}": ${reason}; check that the file exists and, when compressed, is complete gzip`;
    throw new InputError(message, lineNumber > 0 ? { file, line: lineNumber } : { file }, {
      cause: err,
    });
  }
  if (state.line > 0) {
    report.read += 1;
    reject(
      report,
      state.line,
      'flow element never closes: the file is cut short; expected </flow>',
    );
  }
  return report;
}
