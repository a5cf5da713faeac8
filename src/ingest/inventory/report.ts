import type { Workload } from '../../domain/index.js';
import { KEPT_ISSUES } from '../report.js';
import type { RejectedRecord } from '../report.js';

/** What an inventory importer did with one input. */
export interface InventoryReport {
  readonly file: string;
  readonly format: string;
  /** Records (rows, hosts) read, including those not imported. */
  read: number;
  /** The workloads imported, in input order. */
  readonly workloads: Workload[];
  rejected: number;
  /** The first KEPT_ISSUES rejects. */
  readonly issues: RejectedRecord[];
}

/** Creates an empty inventory report for a file. */
export function createInventoryReport(file: string, format: string): InventoryReport {
  return { file, format, read: 0, workloads: [], rejected: 0, issues: [] };
}

/** Counts a rejected record and keeps its message while fewer than KEPT_ISSUES are kept. */
export function rejectRecord(
  report: InventoryReport,
  line: number | undefined,
  message: string,
): void {
  report.rejected += 1;
  if (report.issues.length >= KEPT_ISSUES) return;
  report.issues.push(
    line === undefined ? { file: report.file, message } : { file: report.file, line, message },
  );
}
