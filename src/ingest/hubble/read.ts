import { isObject, readJsonRecords, shown, timeAt } from '../json-records/index.js';
import { createReport, reject, skip } from '../report.js';
import type { FlowSink, ReadReport, WorkloadSink } from '../report.js';
import { parseHubbleFlow } from './record.js';

/** The format name ReadReports of this reader carry. */
export const HUBBLE_FORMAT = 'hubble';

/** Pods already handed to the workload sink; cleared when full so memory stays bounded. */
const MAX_KNOWN_PODS = 65_536;

/**
 * Reads Hubble flows as `hubble observe -o json` (or Hubble Relay) writes them, one JSON
 * object per line, plain or gzip; both the `{"flow": {...}, "node_name": …}` wrapper and
 * bare flow objects are read. Each record that is not a reply becomes a one-packet flow;
 * each pod it names is handed once to the workload sink as `namespace/pod` with its
 * Kubernetes labels.
 *
 * Replies are skipped under `reply` and never become flows of their own: Hubble records
 * are single packets, so the reply's packet adds nothing but its count. Records whose reply
 * status cannot be told (older Hubble omitted `reply: false`; newer omits `is_reply` when
 * Cilium does not know) are kept only when a bare SYN or an ICMP request proves the
 * direction, and otherwise skipped under `reply status unknown`. Other records without a
 * flow (`lost_events`, `node_status`) are skipped under `not a flow`.
 *
 * @param file Path of the JSON lines; gzip is detected by content.
 * @param sink Receives each flow in file order.
 * @param workloads Receives each pod the first time it is seen with a given address.
 * @returns What was read, skipped and rejected.
 * @throws InputError when the file cannot be opened or decompressed.
 * @example
 * const report = await readHubbleFlows('flows.json', (flow) => flows.push(flow), (pod) => pods.push(pod));
 */
export async function readHubbleFlows(
  file: string,
  sink: FlowSink,
  workloads?: WorkloadSink,
): Promise<ReadReport> {
  const report = createReport(file, HUBBLE_FORMAT);
  const known = new Set<string>();

  for await (const entry of readJsonRecords(file, { what: 'Hubble flows' })) {
    report.read += 1;
    if ('problem' in entry) {
      reject(report, entry.line, entry.problem);
      continue;
    }
    const value = entry.value;
    if (!isObject(value)) {
      reject(report, entry.line, `record is ${shown(value)}: expected a Hubble flow object`);
      continue;
    }
    const wrapped = isObject(value.flow);
    const flow = isObject(value.flow) ? value.flow : value;
    if (!wrapped && flow.IP === undefined && flow.verdict === undefined) {
      skip(report, 'not a flow');
      continue;
    }
    try {
      const nodeName = typeof value.node_name === 'string' ? value.node_name : undefined;
      const result = parseHubbleFlow(flow, nodeName, wrapped ? timeAt(value, 'time') : undefined);
      if ('skip' in result) {
        skip(report, result.skip);
        continue;
      }
      for (const pod of result.workloads) {
        const key = `${pod.name}|${pod.addresses[0]!}`;
        if (known.has(key)) continue;
        if (known.size >= MAX_KNOWN_PODS) known.clear();
        known.add(key);
        workloads?.(pod);
      }
      sink(result.flow);
      report.flows += 1;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      reject(report, entry.line, err.message);
    }
  }
  return report;
}
