import { isObject, readJsonRecords, shown, timeAt } from '../json-records/index.js';
import { createReport, reject, skip } from '../report.js';
import type { FlowSink, ReadReport, WorkloadSink } from '../report.js';
import { parseGcpFlow } from './entry.js';

/** The format name ReadReports of this reader carry. */
export const GCP_FORMAT = 'gcp';

/** Instances already handed to the workload sink; cleared when full to bound memory. */
const MAX_KNOWN_INSTANCES = 65_536;

/**
 * Reads GCP VPC flow logs as Cloud Logging exports them: LogEntry objects as JSON lines
 * (a Cloud Storage sink) or as a JSON array (`gcloud logging read --format=json`, the
 * console's download), plain or gzip. Each entry becomes a one-way flow; the Compute Engine
 * instances it names (`src_instance`, `dest_instance`) go to the workload sink once each,
 * as `project/vm` with `project`, `zone`, `region`, `vpc` and `subnet` labels.
 *
 * Entries without `jsonPayload` (other logs in the same export) are skipped under
 * `not a VPC flow log entry`. The observer is the reporting instance (`reporter` SRC or
 * DEST), or the reporter itself when that side names no instance.
 *
 * @param file Path of the export; gzip is detected by content.
 * @param sink Receives each flow in file order.
 * @param workloads Receives each instance the first time it is seen with a given address.
 * @returns What was read, skipped and rejected.
 * @throws InputError when the file cannot be opened or decompressed.
 * @example
 * const report = await readGcpFlowLog('vpc_flows.json', (flow) => flows.push(flow));
 */
export async function readGcpFlowLog(
  file: string,
  sink: FlowSink,
  workloads?: WorkloadSink,
): Promise<ReadReport> {
  const report = createReport(file, GCP_FORMAT);
  const known = new Set<string>();

  for await (const entry of readJsonRecords(file, { what: 'GCP VPC flow log' })) {
    report.read += 1;
    if ('problem' in entry) {
      reject(report, entry.line, entry.problem);
      continue;
    }
    const value = entry.value;
    if (!isObject(value)) {
      reject(
        report,
        entry.line,
        `entry is ${shown(value)}: expected a Cloud Logging LogEntry object`,
      );
      continue;
    }
    if (value.jsonPayload === undefined) {
      skip(report, 'not a VPC flow log entry');
      continue;
    }
    try {
      if (!isObject(value.jsonPayload)) {
        throw new RangeError(
          `field "jsonPayload" is ${shown(value.jsonPayload)}: expected an object`,
        );
      }
      const parsed = parseGcpFlow(value.jsonPayload, timeAt(value, 'timestamp'));
      for (const workload of parsed.workloads) {
        const key = `${workload.name}|${workload.addresses[0]!}`;
        if (known.has(key)) continue;
        if (known.size >= MAX_KNOWN_INSTANCES) known.clear();
        known.add(key);
        workloads?.(workload);
      }
      sink(parsed.flow);
      report.flows += 1;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      reject(report, entry.line, err.message);
    }
  }
  return report;
}
