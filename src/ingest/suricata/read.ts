import { isObject, readJsonRecords, stringAt } from '../json-records/index.js';
import type { JsonObject } from '../json-records/index.js';
import { createReport, reject, skip } from '../report.js';
import type { FlowSink, ReadReport, WorkloadSink } from '../report.js';
import { parseSuricataFlow } from './event.js';
import type { SuricataBlock } from './event.js';

/** The format name ReadReports of this reader carry. */
export const SURICATA_FORMAT = 'suricata';

/**
 * Alerts remembered by flow id. Suricata writes a flow's alerts while it lives and its
 * flow record when it ends, so the alert is normally read first; the map is cleared when
 * full to keep memory bounded.
 */
const MAX_BLOCKS = 65_536;

/** The EVE event, unwrapped from the AWS Network Firewall envelope when there is one. */
function unwrap(value: JsonObject): { event: JsonObject; observer: string | undefined } {
  if (value.event_type === undefined && isObject(value.event)) {
    const observer = typeof value.firewall_name === 'string' ? value.firewall_name : undefined;
    return { event: value.event, observer };
  }
  const host = typeof value.host === 'string' ? value.host : undefined;
  const iface = typeof value.in_iface === 'string' ? value.in_iface : undefined;
  return { event: value, observer: host ?? iface };
}

/** The alert's signature when it blocked its flow. */
function blockOf(event: JsonObject): SuricataBlock | undefined {
  const alert = isObject(event.alert) ? event.alert : {};
  const verdict = isObject(event.verdict) ? event.verdict : {};
  const blocked = alert.action === 'blocked' || verdict.action === 'drop';
  if (!blocked) return undefined;
  const signature =
    typeof alert.signature === 'string' && alert.signature !== '' ? alert.signature : 'alert';
  return { signature };
}

function flowIdOf(event: JsonObject): string | undefined {
  const id = event.flow_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

/**
 * Reads Suricata EVE JSON (JSON lines, or a JSON array as exported from a search index;
 * AWS Network Firewall's `{"firewall_name", "event": {...}}` envelope is unwrapped) and
 * hands each `flow` and `netflow` event to the sink as a flow.
 *
 * Other event types are skipped under `event_type <name>`. An `alert` that blocked its
 * flow (`alert.action` blocked, `verdict.action` drop) marks the flow and netflow events
 * of that `flow_id` read after it as `reject`, with the signature as `actionReason`.
 * `netflow` events are one-way (the reply direction is its own event), so their reverse
 * counters are 0. The observer is the firewall name, else `host`, else `in_iface`.
 *
 * @param file Path of the EVE log; gzip is detected by content.
 * @param sink Receives each flow in file order.
 * @param _workloads Unused: EVE names no workloads.
 * @returns What was read, skipped by event type and rejected.
 * @throws InputError when the file cannot be opened or decompressed.
 * @example
 * const report = await readSuricataEve('eve.json', (flow) => flows.push(flow));
 */
export async function readSuricataEve(
  file: string,
  sink: FlowSink,
  // Kept so every reader has one signature; EVE names no workloads.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  _workloads?: WorkloadSink,
): Promise<ReadReport> {
  const report = createReport(file, SURICATA_FORMAT);
  const blocks = new Map<string, SuricataBlock>();

  for await (const entry of readJsonRecords(file, { what: 'Suricata EVE log' })) {
    report.read += 1;
    if ('problem' in entry) {
      reject(report, entry.line, entry.problem);
      continue;
    }
    if (!isObject(entry.value)) {
      reject(
        report,
        entry.line,
        `record is ${JSON.stringify(entry.value).slice(0, 40)}: expected an EVE event object`,
      );
      continue;
    }
    const { event, observer } = unwrap(entry.value);
    try {
      const type = stringAt(event, 'event_type');
      if (type === undefined) {
        throw new RangeError(
          'field "event_type" is absent: expected flow, netflow or another EVE event type',
        );
      }
      const id = flowIdOf(event);
      if (type === 'flow' || type === 'netflow') {
        sink(
          parseSuricataFlow(event, type, observer, id === undefined ? undefined : blocks.get(id)),
        );
        report.flows += 1;
        continue;
      }
      const block = type === 'alert' ? blockOf(event) : undefined;
      if (block !== undefined && id !== undefined) {
        if (blocks.size >= MAX_BLOCKS) blocks.clear();
        blocks.set(id, block);
      }
      skip(report, `event_type ${type}`);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      reject(report, entry.line, err.message);
    }
  }
  return report;
}
