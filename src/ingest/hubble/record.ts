import type { Flow, FlowAction, Workload } from '../../domain/index.js';
import {
  addressAt,
  countAt,
  fieldError,
  isObject,
  objectAt,
  stringAt,
  timeAt,
} from '../json-records/index.js';
import type { JsonObject } from '../json-records/index.js';
import { hubbleLabels } from './labels.js';

type MutableFlow = { -readonly [K in keyof Flow]: Flow[K] };

/** What one Hubble record gives: a flow and the pods it names, or why it is skipped. */
export type HubbleRecord =
  { readonly flow: Flow; readonly workloads: readonly Workload[] } | { readonly skip: string };

// Hubble's TCP flag names and their bits (RFC 9293 header order, NS as bit 8).
const FLAG_BITS: Readonly<Record<string, number>> = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
  NS: 0x100,
};

// ICMP types that open an exchange and those that answer one (echo, timestamp,
// information, address mask for IPv4; echo for IPv6).
const ICMP_REQUESTS = new Set([8, 13, 15, 17]);
const ICMP_REPLIES = new Set([0, 14, 16, 18]);
const ICMPV6_REQUESTS = new Set([128]);
const ICMPV6_REPLIES = new Set([129]);

interface L4 {
  readonly protocol: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly flags: number | undefined;
}

function tcpFlags(tcp: JsonObject): number | undefined {
  const flags = objectAt(tcp, 'flags', 'l4.TCP.flags');
  if (flags === undefined) return undefined;
  let bits = 0;
  for (const [name, bit] of Object.entries(FLAG_BITS)) if (flags[name] === true) bits |= bit;
  return bits;
}

function l4Of(flow: JsonObject): L4 | undefined {
  const l4 = objectAt(flow, 'l4');
  if (l4 === undefined) return undefined;
  for (const [name, protocol] of [
    ['TCP', 6],
    ['UDP', 17],
    ['SCTP', 132],
  ] as const) {
    const ports = objectAt(l4, name, `l4.${name}`);
    if (ports === undefined) continue;
    return {
      protocol,
      srcPort: countAt(ports, 'source_port', 65_535, `l4.${name}.source_port`) ?? 0,
      dstPort: countAt(ports, 'destination_port', 65_535, `l4.${name}.destination_port`) ?? 0,
      flags: name === 'TCP' ? tcpFlags(ports) : undefined,
    };
  }
  for (const [name, protocol] of [
    ['ICMPv4', 1],
    ['ICMPv6', 58],
  ] as const) {
    const icmp = objectAt(l4, name, `l4.${name}`);
    if (icmp === undefined) continue;
    return {
      protocol,
      srcPort: countAt(icmp, 'code', 255, `l4.${name}.code`) ?? 0,
      dstPort: countAt(icmp, 'type', 255, `l4.${name}.type`) ?? 0,
      flags: undefined,
    };
  }
  return undefined;
}

const isOpeningSyn = (flags: number | undefined): boolean =>
  flags !== undefined && (flags & FLAG_BITS.SYN!) !== 0 && (flags & FLAG_BITS.ACK!) === 0;

/**
 * Whether the record is a reply: `is_reply` when present, else the older `reply` (which
 * older Hubble left out when false, so its absence proves nothing). When neither says, the
 * packet itself may: a bare SYN or an ICMP request opens an exchange, a SYN-ACK or an ICMP
 * reply answers one.
 */
function replyOf(flow: JsonObject, l4: L4): boolean | undefined {
  if (typeof flow.is_reply === 'boolean') return flow.is_reply;
  if (flow.reply === true) return true;
  if (l4.protocol === 6 && l4.flags !== undefined && (l4.flags & FLAG_BITS.SYN!) !== 0) {
    return !isOpeningSyn(l4.flags);
  }
  if (l4.protocol === 1 && ICMP_REQUESTS.has(l4.dstPort)) return false;
  if (l4.protocol === 1 && ICMP_REPLIES.has(l4.dstPort)) return true;
  if (l4.protocol === 58 && ICMPV6_REQUESTS.has(l4.dstPort)) return false;
  if (l4.protocol === 58 && ICMPV6_REPLIES.has(l4.dstPort)) return true;
  return undefined;
}

/** The action and its reason from Hubble's verdict; `skip` for ERROR verdicts. */
function verdictOf(flow: JsonObject): { action?: FlowAction; reason?: string } | 'error' {
  const verdict = stringAt(flow, 'verdict');
  switch (verdict) {
    case undefined:
    case 'VERDICT_UNKNOWN':
      return {};
    case 'DROPPED': {
      const reason = stringAt(flow, 'drop_reason_desc') ?? 'DROPPED';
      return { action: 'reject', reason };
    }
    case 'AUDIT':
      // Policy would have dropped the packet; audit mode let it through.
      return { action: 'accept', reason: 'AUDIT' };
    case 'ERROR':
      return 'error';
    default:
      return { action: 'accept' };
  }
}

function podOf(endpoint: JsonObject | undefined, address: Flow['src']): Workload | undefined {
  if (endpoint === undefined) return undefined;
  const pod = typeof endpoint.pod_name === 'string' ? endpoint.pod_name : undefined;
  if (pod === undefined || pod === '') return undefined;
  const namespace =
    typeof endpoint.namespace === 'string' && endpoint.namespace !== ''
      ? endpoint.namespace
      : undefined;
  const labels = Array.isArray(endpoint.labels) ? (endpoint.labels as unknown[]) : [];
  return {
    name: namespace === undefined ? pod : `${namespace}/${pod}`,
    addresses: [address],
    labels: hubbleLabels(labels, namespace),
    discovered: true,
  };
}

/**
 * Turns one Hubble flow object (the value of `{"flow": …}` or a bare one) into a flow and
 * the pods it names, or the reason it is skipped: `reply`, `reply status unknown`, `no IP`
 * (an L2 record), `no l4`, `verdict ERROR`.
 *
 * @param nodeName The wrapper's `node_name`, used when the flow has none.
 * @throws RangeError naming the field, its value and what was expected.
 */
export function parseHubbleFlow(
  flow: JsonObject,
  nodeName: string | undefined,
  fallbackTime: number | undefined,
): HubbleRecord {
  const ip = objectAt(flow, 'IP');
  if (ip === undefined) return { skip: 'no IP' };
  const l4 = l4Of(flow);
  if (l4 === undefined) return { skip: 'no l4' };

  const reply = replyOf(flow, l4);
  if (reply === true) return { skip: 'reply' };
  if (reply === undefined) return { skip: 'reply status unknown' };
  const verdict = verdictOf(flow);
  if (verdict === 'error') return { skip: 'verdict ERROR' };

  const src = addressAt(ip, 'source', 'IP.source');
  const dst = addressAt(ip, 'destination', 'IP.destination');
  const time = timeAt(flow, 'time') ?? fallbackTime;
  if (time === undefined) throw fieldError('time', undefined, 'an RFC 3339 time');

  const out: MutableFlow = {
    src,
    dst,
    srcPort: l4.srcPort,
    dstPort: l4.dstPort,
    protocol: l4.protocol,
    start: time,
    end: time,
    // One Hubble record is one packet seen at one observation point; Hubble gives no size.
    packets: 1,
    bytes: 0,
    packetsReverse: 0,
    bytesReverse: 0,
    // Not a reply by Cilium's connection tracking: the source is the client.
    origin: l4.protocol === 6 && isOpeningSyn(l4.flags) ? 'handshake' : 'sensor',
  };
  if (l4.flags !== undefined) out.tcpFlags = l4.flags & 0xff;
  if (verdict.action !== undefined) out.action = verdict.action;
  if (verdict.reason !== undefined) out.actionReason = verdict.reason;
  const observer = stringAt(flow, 'node_name') ?? nodeName;
  if (observer !== undefined) out.observer = observer;

  const workloads: Workload[] = [];
  const source = podOf(isObject(flow.source) ? flow.source : undefined, src);
  const destination = podOf(isObject(flow.destination) ? flow.destination : undefined, dst);
  if (source) workloads.push(source);
  if (destination) workloads.push(destination);
  return { flow: out, workloads };
}
