import type { Flow, Workload } from '../domain/index.js';

/** How many first rejects a report keeps word for word; the rest are only counted. */
export const KEPT_ISSUES = 20;

/** One record a reader could not take, with where it was and why. */
export interface RejectedRecord {
  readonly file: string;
  /** Line number for text formats, record or packet number for binary ones. */
  readonly line?: number;
  readonly message: string;
}

/** What a reader did with one input. */
export interface ReadReport {
  readonly file: string;
  readonly format: string;
  /** Records (lines, packets, entries) read. */
  read: number;
  /** Flows handed to the sink. */
  flows: number;
  /** Records deliberately not turned into flows, counted by reason (e.g. `NODATA`). */
  readonly skipped: Record<string, number>;
  rejected: number;
  /** Records stored with a caveat, counted by caveat (e.g. a masked timestamp). */
  readonly notes: Record<string, number>;
  /** The first KEPT_ISSUES rejects. */
  readonly issues: RejectedRecord[];
}

/** Receives each flow a reader produces, in input order. */
export type FlowSink = (flow: Flow) => void;

/**
 * Receives the workloads a flow source names as it meets them (Hubble pods with their
 * labels, cloud instances), so flows resolve to named, labelled workloads.
 */
export type WorkloadSink = (workload: Workload) => void;

/** Creates an empty report for a file. */
export function createReport(file: string, format: string): ReadReport {
  return { file, format, read: 0, flows: 0, skipped: {}, rejected: 0, notes: {}, issues: [] };
}

/** Counts a skipped record under its reason. */
export function skip(report: ReadReport, reason: string): void {
  report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
}

/** Counts a record stored with a caveat under that caveat. */
export function note(report: ReadReport, caveat: string): void {
  report.notes[caveat] = (report.notes[caveat] ?? 0) + 1;
}

/** Counts a rejected record and keeps its message while fewer than KEPT_ISSUES are kept. */
export function reject(report: ReadReport, line: number | undefined, message: string): void {
  report.rejected += 1;
  if (report.issues.length >= KEPT_ISSUES) return;
  report.issues.push(
    line === undefined ? { file: report.file, message } : { file: report.file, line, message },
  );
}
