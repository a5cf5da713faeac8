import { readFile } from 'node:fs/promises';
import { InputError } from '../../domain/index.js';
import { parseCsv } from './csv.js';
import { CsvSyntaxError } from './csv.js';
import type { CsvRecord } from './csv.js';
import { findInventoryColumns } from './csv-columns.js';
import type { InventoryColumns } from './csv-columns.js';
import { parseInventoryRow } from './csv-row.js';
import { createInventoryReport, rejectRecord } from './report.js';
import type { InventoryReport } from './report.js';

/** The format name InventoryReports of this importer carry. */
export const INVENTORY_CSV_FORMAT = 'inventory-csv';

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError(`Cannot read inventory "${file}": ${reason}`, { file }, { cause: err });
  }
}

function isBlankRow(record: CsvRecord): boolean {
  return record.cells.every((cell) => cell.trim().length === 0);
}

function importRow(
  record: CsvRecord,
  columns: InventoryColumns,
  firstLine: Map<string, number>,
  report: InventoryReport,
): void {
  report.read += 1;
  if (record.problem !== undefined) {
    rejectRecord(report, record.line, record.problem);
    return;
  }

  try {
    const workload = parseInventoryRow(record.cells, columns);
    const seen = firstLine.get(workload.name);
    if (seen !== undefined) {
      const message = `column ${columns.name + 1} "name" is "${workload.name}", which line ${seen} already uses: give each workload a unique name`;
      rejectRecord(report, record.line, message);
      return;
    }
    // An address belongs to one workload: a second row claiming it is a mistake in the file.
    const taken = workload.addresses.find((a) => firstLine.has(`address ${a}`));
    if (taken !== undefined) {
      const line = firstLine.get(`address ${taken}`)!;
      const message = `column ${columns.addresses + 1} "addresses" holds ${taken}, which line ${line} already gives another workload: an address belongs to one workload`;
      rejectRecord(report, record.line, message);
      return;
    }
    firstLine.set(workload.name, record.line);
    for (const address of workload.addresses) firstLine.set(`address ${address}`, record.line);
    report.workloads.push(workload);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    rejectRecord(report, record.line, err.message);
  }
}

/**
 * Imports workloads from an inventory CSV file (RFC 4180, header row first).
 *
 * Columns: `name` (required, unique), `addresses` (required; one or more, separated by
 * blanks, `;` or `|`), optional `hostnames` (same separators) and `os`, and one
 * `label:KEY` column per label (an empty cell sets no label). Other columns are ignored.
 * A row that cannot be imported is rejected with its line, the column and the value;
 * the other rows are kept.
 *
 * @param file Path of the CSV file (UTF-8, optional byte-order mark).
 * @returns The workloads imported and the rows rejected.
 * @throws InputError when the file cannot be read, a quoted cell never closes, or the header
 *   lacks `name` or `addresses` (the message lists the columns found).
 * @example
 * const { workloads, issues } = await readInventoryCsv('assets.csv');
 */
export async function readInventoryCsv(file: string): Promise<InventoryReport> {
  const text = await readText(file);
  const report = createInventoryReport(file, INVENTORY_CSV_FORMAT);
  const records = parseCsv(text);
  const firstLine = new Map<string, number>();

  try {
    const header = records.next();
    if (header.done === true) {
      throw new InputError(
        `Cannot read inventory "${file}": the file is empty; start it with a header row such as name,addresses`,
        { file, line: 1 },
      );
    }
    const columns = findInventoryColumns(header.value.cells, file);
    for (const record of records) {
      if (!isBlankRow(record)) importRow(record, columns, firstLine, report);
    }
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    const place = { file, line: err.line };
    throw new InputError(`Cannot read inventory "${file}": ${err.message}`, place, { cause: err });
  }
  return report;
}

/**
 * Whether the start of a file looks like an inventory CSV: its first line is a header
 * with a `name` and an `addresses` column.
 *
 * @param head The first bytes of the file.
 */
export function isInventoryCsv(head: Buffer): boolean {
  const text = head.toString('utf8');
  const end = text.indexOf('\n');
  const firstLine = end < 0 ? text : text.slice(0, end);
  try {
    const record = parseCsv(firstLine).next();
    if (record.done === true) return false;
    const names = record.value.cells.map((cell) => cell.trim().toLowerCase());
    return names.includes('name') && names.includes('addresses');
  } catch {
    return false;
  }
}
