import type { Address } from './address.js';
import type { LabelSet } from './label.js';

/** A port a scanner or inventory found listening on a workload. */
export interface OpenPort {
  readonly protocol: number;
  readonly port: number;
  /** The service name the scanner guessed, when it did. */
  readonly service?: string;
}

/** Anything with addresses that sends or receives traffic. */
export interface Workload {
  /** Unique within a workspace; discovered workloads are named after their address. */
  readonly name: string;
  readonly addresses: readonly Address[];
  readonly labels: LabelSet;
  /** True when the workload was only seen in flows and is in no inventory. */
  readonly discovered: boolean;
  readonly hostnames?: readonly string[];
  readonly os?: string;
  readonly openPorts?: readonly OpenPort[];
}
