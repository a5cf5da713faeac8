import { protocolNumber } from '../../domain/index.js';
import type { Flow, FlowOrigin } from '../../domain/index.js';
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

/** Why an alert blocked a flow, remembered by flow id until the flow's record comes. */
export interface SuricataBlock {
  readonly signature: string;
}

// TCP flag bits (RFC 9293 header order), as Suricata writes them in hex.
const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;

/** Suricata names protocols in upper case; IPv6 ICMP is `IPv6-ICMP`. */
function protocolOf(event: JsonObject): number {
  const value = event.proto;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255)
    return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    const number = lower === 'ipv6-icmp' ? 58 : protocolNumber(lower);
    if (number !== undefined) return number;
  }
  throw fieldError('proto', value, 'a protocol name (TCP, UDP, ICMP, IPv6-ICMP, SCTP) or number');
}

/** Flags from Suricata's hex text (`"1b"`); undefined when absent. */
function flagsAt(tcp: JsonObject | undefined, key: string): number | undefined {
  const value = tcp?.[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{1,2}$/.test(value)) {
    throw fieldError(`tcp.${key}`, value, 'TCP flags as hex, like "1b"');
  }
  return parseInt(value, 16);
}

const isOpeningSyn = (flags: number): boolean =>
  (flags & SYN) !== 0 && (flags & (ACK | FIN | RST)) === 0;

/**
 * A flow event's origin: `handshake` when the source's own flags hold SYN and the
 * destination answered with SYN too (the client's SYN always comes first) or did not answer
 * a bare SYN; otherwise `sensor`, as Suricata calls the first sender the client.
 */
function flowOrigin(protocol: number, tcp: JsonObject | undefined): FlowOrigin {
  if (protocol !== 6) return 'sensor';
  const ts = flagsAt(tcp, 'tcp_flags_ts');
  const tc = flagsAt(tcp, 'tcp_flags_tc');
  if (ts === undefined || (ts & SYN) === 0) return 'sensor';
  if (tc !== undefined && (tc & SYN) !== 0) return 'handshake';
  return isOpeningSyn(ts) && (tc ?? 0) === 0 ? 'handshake' : 'sensor';
}

/** Ports, or for ICMP the type (as dstPort) and code (as srcPort), per `Flow`. */
function portsOf(event: JsonObject, protocol: number): [number, number] {
  if (protocol === 1 || protocol === 58) {
    return [countAt(event, 'icmp_code', 255) ?? 0, countAt(event, 'icmp_type', 255) ?? 0];
  }
  return [countAt(event, 'src_port', 65_535) ?? 0, countAt(event, 'dest_port', 65_535) ?? 0];
}

function timesOf(counters: JsonObject, event: JsonObject, kind: string): [number, number] {
  const fallback = timeAt(event, 'timestamp');
  const start = timeAt(counters, 'start', `${kind}.start`) ?? fallback;
  const end = timeAt(counters, 'end', `${kind}.end`) ?? start;
  if (start === undefined || end === undefined) {
    throw fieldError(`${kind}.start`, undefined, 'an RFC 3339 time, or a timestamp field');
  }
  if (end < start) throw fieldError(`${kind}.end`, counters.end, 'a time no earlier than start');
  return [start, end];
}

/**
 * Turns a Suricata EVE `flow` or `netflow` event into a flow. A `flow` event counts both
 * directions; a `netflow` event counts one (Suricata writes one per direction, the reply's
 * with source and destination swapped), so its reverse counters are 0 and its origin is
 * `unknown` unless its flags hold a bare SYN.
 *
 * @throws RangeError naming the field, its value and what was expected.
 */
export function parseSuricataFlow(
  event: JsonObject,
  kind: 'flow' | 'netflow',
  observer: string | undefined,
  block: SuricataBlock | undefined,
): Flow {
  const protocol = protocolOf(event);
  const [srcPort, dstPort] = portsOf(event, protocol);
  const counters = objectAt(event, kind) ?? {};
  const tcp = objectAt(event, 'tcp');
  const [start, end] = timesOf(counters, event, kind);
  const max = Number.MAX_SAFE_INTEGER;
  const flags = flagsAt(tcp, 'tcp_flags');

  const flow: MutableFlow = {
    src: addressAt(event, 'src_ip'),
    dst: addressAt(event, 'dest_ip'),
    srcPort,
    dstPort,
    protocol,
    start,
    end,
    packets:
      (kind === 'flow'
        ? countAt(counters, 'pkts_toserver', max, 'flow.pkts_toserver')
        : countAt(counters, 'pkts', max, 'netflow.pkts')) ?? 0,
    bytes:
      (kind === 'flow'
        ? countAt(counters, 'bytes_toserver', max, 'flow.bytes_toserver')
        : countAt(counters, 'bytes', max, 'netflow.bytes')) ?? 0,
    packetsReverse:
      kind === 'flow' ? (countAt(counters, 'pkts_toclient', max, 'flow.pkts_toclient') ?? 0) : 0,
    bytesReverse:
      kind === 'flow' ? (countAt(counters, 'bytes_toclient', max, 'flow.bytes_toclient') ?? 0) : 0,
    origin:
      kind === 'flow'
        ? flowOrigin(protocol, tcp)
        : protocol === 6 && flags !== undefined && isOpeningSyn(flags)
          ? 'handshake'
          : 'unknown',
  };
  if (flags !== undefined) flow.tcpFlags = flags;
  if (observer !== undefined) flow.observer = observer;

  const action = stringAt(counters, 'action', `${kind}.action`);
  if (block !== undefined || action === 'drop') {
    flow.action = 'reject';
    flow.actionReason = block?.signature ?? 'drop';
  } else if (action === 'pass' || action === 'allowed') {
    flow.action = 'accept';
  }
  return flow;
}
