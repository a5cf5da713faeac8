import type { Address, EdgeHour, LabelSet, OpenPort, Workload } from '../domain/index.js';

/** What an inventory import did to the workloads. */
export interface WorkloadImportResult {
  added: number;
  updated: number;
  /** Addresses taken over from discovered workloads, which are then removed when empty. */
  adopted: number;
  /** Addresses that belonged to another inventory workload and were moved, with both names. */
  readonly moved: { address: Address; from: string; to: string }[];
}

/** A port known to be listening on an address, from scans or observed handshakes. */
export interface ListeningPort {
  readonly address: Address;
  readonly protocol: number;
  readonly port: number;
}

/** A time window over stored edges; both ends in ms since the epoch, `until` exclusive. */
export interface EdgeWindow {
  readonly since?: number;
  readonly until?: number;
}

/** One ingest as recorded in the workspace history. */
export interface IngestRecord {
  readonly file: string;
  readonly format: string;
  readonly read: number;
  readonly flows: number;
  readonly rejected: number;
  readonly skipped: Readonly<Record<string, number>>;
  /** A digest of the file's size, head and tail; absent for older records. */
  readonly fingerprint?: string;
}

/**
 * The storage interface. It is the only place that knows which database is in use;
 * SQL lives behind it and nowhere else.
 */
export interface Store {
  /** Adds inventory workloads or updates those with the same name; labels merge by key. */
  importWorkloads(workloads: readonly Workload[], source: string): WorkloadImportResult;
  /** Creates a discovered workload, named after the address, for each unknown address. */
  ensureDiscovered(addresses: Iterable<Address>): number;
  listWorkloads(): Workload[];
  findWorkload(nameOrAddress: string): Workload | undefined;
  /** Sets labels on a workload; a value of null removes the key. Returns false when unknown. */
  setLabels(name: string, labels: Readonly<Record<string, string | null>>, source: string): boolean;
  /** Adds edge aggregates, merging with stored ones of the same hour and edge. */
  addEdges(edges: readonly EdgeHour[]): void;
  listEdges(window?: EdgeWindow): EdgeHour[];
  /** Ports listening per scans and per observed handshakes. */
  listListening(): ListeningPort[];
  recordIngest(record: IngestRecord): void;
  /** A workspace setting as stored (parsed JSON), or undefined when unset. */
  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;
  listIngests(): IngestRecord[];
  /** The ingest of a file with this fingerprint, if one was recorded. */
  findIngest(fingerprint: string): IngestRecord | undefined;
  close(): void;
}

export type { LabelSet, OpenPort };
