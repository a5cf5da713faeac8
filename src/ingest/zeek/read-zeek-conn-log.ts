import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InputError } from '../../domain/index.js';
import { openText } from '../open-text.js';
import { createReport, note, reject, skip, type FlowSink, type ReadReport } from '../report.js';
import { applyZeekDirective, createZeekHeader, type ZeekHeader } from './header.js';
import {
  createZeekColumns,
  isMaskedTime,
  parseZeekConnRow,
  REQUIRED_COLUMNS,
  type ZeekColumns,
} from './row.js';

/** Where the reader stands: no usable `#fields` yet, or the columns of the current one. */
type State = { readonly kind: 'no-fields' } | { readonly kind: 'bad-fields' } | ZeekColumnsState;

interface ZeekColumnsState {
  readonly kind: 'columns';
  readonly columns: ZeekColumns;
}

/**
 * Reads a Zeek conn.log in its ASCII (TSV) form, optionally gzip-compressed, and hands
 * each row to the sink as a flow with origin `sensor`.
 *
 * The `#fields` header decides the column order (several logs may follow one another,
 * each with its own header). Rows with a wrong number of columns or a value their
 * column cannot hold are rejected with their line number; the others are kept.
 *
 * @param file Path of the conn.log (or conn.log.gz).
 * @param sink Receives each flow in file order.
 * @returns The report: rows read, flows, skipped rows by reason, rejects.
 * @throws InputError when the file cannot be opened or has no `#fields` header at all.
 * @example
 * const report = await readZeekConnLog('conn.log', (flow) => flows.push(flow));
 */
export async function readZeekConnLog(file: string, sink: FlowSink): Promise<ReadReport> {
  const source = await openZeekLog(file);
  const report = createReport(file, 'zeek');
  const header = createZeekHeader();
  let state: State = { kind: 'no-fields' };
  let line = 0;

  try {
    for await (const text of createInterface({ input: source, crlfDelay: Infinity })) {
      line += 1;
      if (text.startsWith('#')) {
        state = readDirective(report, header, text, line, state);
        continue;
      }
      if (text.trim() === '') continue;
      readRow(report, sink, header, state, text, line);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reject(
      report,
      line + 1,
      `Cannot read ${file} past line ${line}: ${message}; rows before it are kept`,
    );
  } finally {
    source.destroy();
  }

  if (state.kind === 'no-fields' && report.read === 0 && report.rejected === 0) {
    throw new InputError(
      `Cannot read ${file} as a Zeek conn.log: it has no #fields line; expected Zeek's ASCII log format (zeek LogAscii::use_json=F)`,
      { file },
    );
  }
  return report;
}

function readDirective(
  report: ReadReport,
  header: ZeekHeader,
  text: string,
  line: number,
  state: State,
): State {
  applyZeekDirective(header, text);
  if (!text.startsWith('#fields')) return state;

  const missing = REQUIRED_COLUMNS.filter((name) => !header.fields.includes(name));
  if (missing.length === 0) return { kind: 'columns', columns: createZeekColumns(header) };

  reject(
    report,
    line,
    `Cannot use the #fields header at line ${line}: it lacks ${missing.join(', ')}; is this a conn.log (#path ${header.path || '-'})?`,
  );
  return { kind: 'bad-fields' };
}

function readRow(
  report: ReadReport,
  sink: FlowSink,
  header: ZeekHeader,
  state: State,
  text: string,
  line: number,
): void {
  report.read += 1;
  if (state.kind === 'bad-fields') {
    skip(report, 'row under an unusable #fields header');
    return;
  }
  if (state.kind === 'no-fields') {
    reject(report, line, `Cannot read row at line ${line}: no #fields header comes before it`);
    return;
  }

  const cells = text.split(header.separator);
  if (cells.length !== state.columns.count) {
    reject(
      report,
      line,
      `Cannot read row at line ${line}: it has ${cells.length} columns, the #fields header names ${state.columns.count}`,
    );
    return;
  }

  try {
    const result = parseZeekConnRow(cells, header, state.columns);
    if ('skip' in result) {
      skip(report, result.skip);
      return;
    }
    report.flows += 1;
    const ts = cells[state.columns.index.get('ts') ?? -1];
    if (ts !== undefined && isMaskedTime(ts)) note(report, 'masked timestamp, stored at time 0');
    sink(result);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reject(report, line, `Cannot read row at line ${line}: ${error.message}`);
  }
}

async function openZeekLog(file: string): Promise<Readable> {
  try {
    return await openText(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`Cannot open Zeek log ${file}: ${reason}`, { file }, { cause: error });
  }
}
