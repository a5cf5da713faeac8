/**
 * Kubernetes network policy analysis: which workloads may connect, on which ports, under
 * a cluster's NetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicy.
 */
import type { Connection } from './connlist.js';
import type { ManifestDocument } from './manifest-text.js';
import type { Cluster } from './model.js';
import { readCluster } from './read-cluster.js';
import { buildReport } from './report.js';

export type { Connection } from './connlist.js';
export type { ConnSet } from './conn-set.js';
export { formatConns } from './conn-set.js';
export type { ManifestDocument } from './manifest-text.js';
export { parseManifestText } from './manifest-text.js';
export type { Cluster } from './model.js';

/** The analysis of one cluster. */
export interface ConnlistResult {
  /** `src => dst : conns` lines, sorted. */
  readonly lines: string[];
  readonly connections: Connection[];
  readonly warnings: string[];
  readonly cluster: Cluster;
}

/**
 * Computes the allowed connections of the cluster the documents describe. Pure.
 *
 * @throws InputError naming the file and line of a malformed object.
 */
export function analyzeManifests(documents: readonly ManifestDocument[]): ConnlistResult {
  const { cluster, warnings } = readCluster(documents);
  const { lines, connections } = buildReport(cluster);
  return { lines, connections, warnings: [...warnings], cluster };
}
export { toBulkheadPolicy } from './to-policy.js';
export type { BulkheadImport } from './to-policy.js';
