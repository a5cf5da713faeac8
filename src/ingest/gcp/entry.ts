import { isLabelValue } from '../../domain/index.js';
import type { Address, Flow, Workload } from '../../domain/index.js';
import {
  addressAt,
  countAt,
  fieldError,
  objectAt,
  stringAt,
  timeAt,
} from '../json-records/index.js';
import type { JsonObject } from '../json-records/index.js';

type MutableFlow = { -readonly [K in keyof Flow]: Flow[K] };

/** The flow of one VPC flow log entry and the instances it names. */
export interface GcpEntry {
  readonly flow: Flow;
  readonly workloads: readonly Workload[];
}

/** The sides that report a flow: VMs and serverless endpoints, or gateways. */
const REPORTERS = new Set(['SRC', 'DEST', 'SRC_GATEWAY', 'DEST_GATEWAY']);

/** Instance fields that become labels, by label key. */
const INSTANCE_LABELS: readonly (readonly [string, string])[] = [
  ['project', 'project_id'],
  ['zone', 'zone'],
  ['region', 'region'],
];
const VPC_LABELS: readonly (readonly [string, string])[] = [
  ['vpc', 'vpc_name'],
  ['subnet', 'subnetwork_name'],
];

function labelsOf(instance: JsonObject, vpc: JsonObject | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, field] of INSTANCE_LABELS) {
    const value = instance[field];
    if (typeof value === 'string' && isLabelValue(value)) labels[key] = value;
  }
  for (const [key, field] of VPC_LABELS) {
    const value = vpc?.[field];
    if (typeof value === 'string' && isLabelValue(value)) labels[key] = value;
  }
  return labels;
}

/** `project/vm` when the project is known, else the VM name; undefined without a VM. */
function instanceName(instance: JsonObject | undefined): string | undefined {
  const vm = instance?.vm_name;
  if (typeof vm !== 'string' || vm === '') return undefined;
  const project = instance?.project_id;
  return typeof project === 'string' && project !== '' ? `${project}/${vm}` : vm;
}

function workloadOf(
  payload: JsonObject,
  side: 'src' | 'dest',
  address: Address,
): Workload | undefined {
  const instance = objectAt(payload, `${side}_instance`);
  const name = instanceName(instance);
  if (instance === undefined || name === undefined) return undefined;
  return {
    name,
    addresses: [address],
    labels: labelsOf(instance, objectAt(payload, `${side}_vpc`)),
    discovered: true,
  };
}

/**
 * Turns the `jsonPayload` of a GCP VPC flow log entry into a one-way flow (`bytes_sent`
 * and `packets_sent` count src → dest; Google logs each direction as its own entry) and
 * the Compute Engine instances it names.
 *
 * @param timestamp The entry's `timestamp`, used when the payload has no `start_time`.
 * @throws RangeError naming the field, its value and what was expected.
 */
export function parseGcpFlow(payload: JsonObject, timestamp: number | undefined): GcpEntry {
  const connection = objectAt(payload, 'connection', 'jsonPayload.connection');
  if (connection === undefined) {
    throw fieldError('jsonPayload.connection', undefined, 'the connection five-tuple');
  }
  const at = (key: string): string => `jsonPayload.connection.${key}`;
  const src = addressAt(connection, 'src_ip', at('src_ip'));
  const dst = addressAt(connection, 'dest_ip', at('dest_ip'));
  const protocol = countAt(connection, 'protocol', 255, at('protocol')) ?? 0;
  const start = timeAt(payload, 'start_time', 'jsonPayload.start_time') ?? timestamp;
  const end = timeAt(payload, 'end_time', 'jsonPayload.end_time') ?? start;
  if (start === undefined || end === undefined) {
    throw fieldError('jsonPayload.start_time', undefined, 'an RFC 3339 time');
  }
  if (end < start)
    throw fieldError('jsonPayload.end_time', payload.end_time, 'a time no earlier than start_time');

  const reporter = stringAt(payload, 'reporter', 'jsonPayload.reporter');
  if (reporter !== undefined && !REPORTERS.has(reporter)) {
    throw fieldError('jsonPayload.reporter', reporter, 'SRC, DEST, SRC_GATEWAY or DEST_GATEWAY');
  }

  const flow: MutableFlow = {
    src,
    dst,
    srcPort: countAt(connection, 'src_port', 65_535, at('src_port')) ?? 0,
    dstPort: countAt(connection, 'dest_port', 65_535, at('dest_port')) ?? 0,
    protocol,
    start,
    end,
    packets:
      countAt(payload, 'packets_sent', Number.MAX_SAFE_INTEGER, 'jsonPayload.packets_sent') ?? 0,
    bytes: countAt(payload, 'bytes_sent', Number.MAX_SAFE_INTEGER, 'jsonPayload.bytes_sent') ?? 0,
    packetsReverse: 0,
    bytesReverse: 0,
    // Each direction of a connection is its own entry, so src is only the sender here.
    origin: 'unknown',
  };
  if (reporter === 'SRC' || reporter === 'DEST') {
    const side = reporter === 'SRC' ? 'src_instance' : 'dest_instance';
    flow.observer = instanceName(objectAt(payload, side, `jsonPayload.${side}`)) ?? reporter;
  } else if (reporter !== undefined) {
    // Cloud Interconnect and Cloud VPN gateways report without an instance.
    flow.observer = reporter;
  }

  const workloads: Workload[] = [];
  const source = workloadOf(payload, 'src', src);
  const destination = workloadOf(payload, 'dest', dst);
  if (source) workloads.push(source);
  if (destination) workloads.push(destination);
  return { flow, workloads };
}
