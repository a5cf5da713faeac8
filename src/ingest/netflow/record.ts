import type { Flow } from '../../domain/index.js';
import type { FlowSink } from '../report.js';
import { ipv4Text, ipv6Text } from '../address-text.js';
import type { DomainState, ExporterState } from './exporter.js';
import { FIELD } from './fields.js';
import { VARIABLE_LENGTH } from './template.js';
import type { Template } from './template.js';

const TWO_32 = 4_294_967_296;
/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

/** Per-datagram state, one object per decoder, overwritten for every datagram. */
export interface DatagramContext {
  view: DataView;
  bytes: Uint8Array;
  exporter: ExporterState;
  domain: DomainState;
  sink: FlowSink;
  /** Export time of the header, ms since the epoch. */
  exportMillis: number;
  /** v5/v9 header sysUptime in ms; -1 for IPFIX. */
  sysUptime: number;
  /** Flows emitted from this datagram. */
  flows: number;
}

/**
 * The fields of one data record, reused for every record (numbers only, so reading a
 * record allocates nothing). `-1` marks an offset or value the record did not carry.
 */
export class RecordScratch {
  src4 = -1;
  dst4 = -1;
  src6 = -1;
  dst6 = -1;
  srcPort = 0;
  dstPort = 0;
  protocol = 0;
  tcpFlags = -1;
  packetsDelta = -1;
  bytesDelta = -1;
  packetsTotal = -1;
  bytesTotal = -1;
  initiatorPackets = -1;
  initiatorBytes = -1;
  responderPackets = -1;
  responderBytes = -1;
  reversePackets = -1;
  reverseBytes = -1;
  postPackets = -1;
  postBytes = -1;
  firstUptime = -1;
  lastUptime = -1;
  startMillis = -1;
  endMillis = -1;
  startDeltaMicros = -1;
  endDeltaMicros = -1;
  icmpTypeCode = -1;
  icmpType = -1;
  icmpCode = -1;
  samplingInterval = -1;
  samplerId = -1;
  samplingPacketInterval = -1;
  samplingPacketSpace = -1;
  systemInitMillis = -1;

  reset(): void {
    this.src4 = this.dst4 = this.src6 = this.dst6 = -1;
    this.srcPort = this.dstPort = this.protocol = 0;
    this.tcpFlags = this.packetsDelta = this.bytesDelta = this.packetsTotal = this.bytesTotal = -1;
    this.initiatorPackets = this.initiatorBytes = this.responderPackets = -1;
    this.responderBytes = this.reversePackets = this.reverseBytes = -1;
    this.postPackets = this.postBytes = this.firstUptime = this.lastUptime = -1;
    this.startMillis = this.endMillis = this.startDeltaMicros = this.endDeltaMicros = -1;
    this.icmpTypeCode = this.icmpType = this.icmpCode = this.samplingInterval = -1;
    this.samplerId = this.samplingPacketInterval = this.samplingPacketSpace = -1;
    this.systemInitMillis = -1;
  }
}

/** Reads an unsigned big-endian integer of 1–8 bytes (reduced-size encoding, RFC 7011 6.2). */
export function readUnsigned(view: DataView, offset: number, length: number): number {
  switch (length) {
    case 1:
      return view.getUint8(offset);
    case 2:
      return view.getUint16(offset);
    case 4:
      return view.getUint32(offset);
    case 8:
      return view.getUint32(offset) * TWO_32 + view.getUint32(offset + 4);
    default: {
      let value = 0;
      for (let i = 0; i < length && i < 8; i++) value = value * 256 + view.getUint8(offset + i);
      return value;
    }
  }
}

/** An NTP timestamp (RFC 5905: 32-bit seconds since 1900, 32-bit fraction) in Unix ms. */
function readNtpMillis(view: DataView, offset: number): number {
  const seconds = view.getUint32(offset) - NTP_UNIX_OFFSET;
  return seconds * 1000 + Math.floor((view.getUint32(offset + 4) / TWO_32) * 1000);
}

/**
 * Reads one data record at `offset` into `scratch`. Returns the offset after the record,
 * or -1 when the record runs past `end`.
 */
export function readRecord(
  ctx: DatagramContext,
  template: Template,
  offset: number,
  end: number,
  scratch: RecordScratch,
): number {
  const view = ctx.view;
  const kinds = template.kinds;
  const lengths = template.lengths;
  scratch.reset();

  let at = offset;
  for (let i = 0; i < kinds.length; i++) {
    let length = lengths[i]!;
    if (length === VARIABLE_LENGTH) {
      if (at + 1 > end) return -1;
      length = view.getUint8(at);
      at += 1;
      if (length === 255) {
        if (at + 2 > end) return -1;
        length = view.getUint16(at);
        at += 2;
      }
    }
    if (at + length > end) return -1;
    if (kinds[i] !== FIELD.skip && length > 0) readField(view, kinds[i]!, at, length, scratch);
    at += length;
  }
  return at;
}

function readField(
  view: DataView,
  kind: number,
  at: number,
  length: number,
  s: RecordScratch,
): void {
  switch (kind) {
    case FIELD.src4:
      if (length === 4) s.src4 = view.getUint32(at);
      return;
    case FIELD.dst4:
      if (length === 4) s.dst4 = view.getUint32(at);
      return;
    case FIELD.src6:
      if (length === 16) s.src6 = at;
      return;
    case FIELD.dst6:
      if (length === 16) s.dst6 = at;
      return;
    case FIELD.startSeconds:
      s.startMillis = readUnsigned(view, at, length) * 1000;
      return;
    case FIELD.endSeconds:
      s.endMillis = readUnsigned(view, at, length) * 1000;
      return;
    case FIELD.startNtp:
      if (length === 8) s.startMillis = readNtpMillis(view, at);
      return;
    case FIELD.endNtp:
      if (length === 8) s.endMillis = readNtpMillis(view, at);
      return;
    default:
      readNumber(kind, readUnsigned(view, at, length), s);
  }
}

function readNumber(kind: number, value: number, s: RecordScratch): void {
  switch (kind) {
    case FIELD.srcPort: s.srcPort = value; return; // prettier-ignore
    case FIELD.dstPort: s.dstPort = value; return; // prettier-ignore
    case FIELD.protocol: s.protocol = value; return; // prettier-ignore
    case FIELD.tcpFlags: s.tcpFlags = value & 0xff; return; // prettier-ignore
    case FIELD.packetsDelta: s.packetsDelta = value; return; // prettier-ignore
    case FIELD.bytesDelta: s.bytesDelta = value; return; // prettier-ignore
    case FIELD.packetsTotal: s.packetsTotal = value; return; // prettier-ignore
    case FIELD.bytesTotal: s.bytesTotal = value; return; // prettier-ignore
    case FIELD.initiatorPackets: s.initiatorPackets = value; return; // prettier-ignore
    case FIELD.initiatorBytes: s.initiatorBytes = value; return; // prettier-ignore
    case FIELD.responderPackets: s.responderPackets = value; return; // prettier-ignore
    case FIELD.responderBytes: s.responderBytes = value; return; // prettier-ignore
    case FIELD.reversePackets: s.reversePackets = value; return; // prettier-ignore
    case FIELD.reverseBytes: s.reverseBytes = value; return; // prettier-ignore
    case FIELD.postPackets: s.postPackets = value; return; // prettier-ignore
    case FIELD.postBytes: s.postBytes = value; return; // prettier-ignore
    case FIELD.firstUptime: s.firstUptime = value; return; // prettier-ignore
    case FIELD.lastUptime: s.lastUptime = value; return; // prettier-ignore
    case FIELD.startMillis: s.startMillis = value; return; // prettier-ignore
    case FIELD.endMillis: s.endMillis = value; return; // prettier-ignore
    case FIELD.startDeltaMicros: s.startDeltaMicros = value; return; // prettier-ignore
    case FIELD.endDeltaMicros: s.endDeltaMicros = value; return; // prettier-ignore
    case FIELD.icmpTypeCode: s.icmpTypeCode = value; return; // prettier-ignore
    case FIELD.icmpType: s.icmpType = value; return; // prettier-ignore
    case FIELD.icmpCode: s.icmpCode = value; return; // prettier-ignore
    case FIELD.samplingInterval: s.samplingInterval = value; return; // prettier-ignore
    case FIELD.samplerRandomInterval: s.samplingInterval = value; return; // prettier-ignore
    case FIELD.samplerId: s.samplerId = value; return; // prettier-ignore
    case FIELD.samplingPacketInterval: s.samplingPacketInterval = value; return; // prettier-ignore
    case FIELD.samplingPacketSpace: s.samplingPacketSpace = value; return; // prettier-ignore
    case FIELD.systemInitMillis: s.systemInitMillis = value; return; // prettier-ignore
    default:
      return;
  }
}

/** The sampling rate a record states itself, or -1. */
function ownRate(s: RecordScratch): number {
  if (s.samplingInterval > 0) return s.samplingInterval;
  if (s.samplingPacketInterval > 0 && s.samplingPacketSpace >= 0) {
    return (s.samplingPacketInterval + s.samplingPacketSpace) / s.samplingPacketInterval;
  }
  return -1;
}

/** Takes the sampling rate and clock of an options data record into the domain. */
export function applyOptionsRecord(domain: DomainState, s: RecordScratch): void {
  const rate = ownRate(s);
  if (rate > 0) {
    if (s.samplerId >= 0) domain.samplerRates.set(s.samplerId, rate);
    domain.defaultRate = rate;
  }
  if (s.systemInitMillis > 0) domain.systemInitMillis = s.systemInitMillis;
}

function rateOf(domain: DomainState, s: RecordScratch): number {
  const own = ownRate(s);
  if (own > 0) return own;
  if (s.samplerId >= 0) return domain.samplerRates.get(s.samplerId) ?? domain.defaultRate;
  return domain.defaultRate;
}

function firstOf(a: number, b: number, c: number, d: number): number {
  if (a >= 0) return a;
  if (b >= 0) return b;
  if (c >= 0) return c;
  return d >= 0 ? d : 0;
}

/** Start and end in Unix ms, written into `times` ([start, end]) to avoid a tuple per flow. */
function recordTimes(ctx: DatagramContext, s: RecordScratch, times: Float64Array): void {
  let start = s.startMillis;
  let end = s.endMillis;
  if (s.startDeltaMicros >= 0) start = ctx.exportMillis - Math.floor(s.startDeltaMicros / 1000);
  if (s.endDeltaMicros >= 0) end = ctx.exportMillis - Math.floor(s.endDeltaMicros / 1000);

  if ((start < 0 || end < 0) && s.firstUptime >= 0 && s.lastUptime >= 0) {
    if (ctx.sysUptime >= 0) {
      // Signed 32-bit differences survive sysUptime wrapping after 49.7 days.
      start = ctx.exportMillis - ((ctx.sysUptime - s.firstUptime) | 0);
      end = ctx.exportMillis - ((ctx.sysUptime - s.lastUptime) | 0);
    } else if (ctx.domain.systemInitMillis > 0) {
      start = ctx.domain.systemInitMillis + s.firstUptime;
      end = ctx.domain.systemInitMillis + s.lastUptime;
    } else {
      end = ctx.exportMillis;
      start = end - ((s.lastUptime - s.firstUptime) | 0);
    }
  }

  if (start < 0 && end < 0) start = end = ctx.exportMillis;
  else if (start < 0) start = end;
  else if (end < 0) end = start;
  times[0] = start;
  times[1] = Math.max(start, end);
}

const TIMES = new Float64Array(2);

type MutableFlow = { -readonly [K in keyof Flow]: Flow[K] };

/**
 * Turns a decoded data record into a Flow and hands it to the sink. Returns false when
 * the record names no addresses (it is then not a flow).
 */
export function emitFlow(ctx: DatagramContext, s: RecordScratch): boolean {
  const v6 = s.src6 >= 0 && s.dst6 >= 0;
  if (!v6 && (s.src4 < 0 || s.dst4 < 0)) return false;

  const rate = rateOf(ctx.domain, s);
  let srcPort = s.srcPort;
  let dstPort = s.dstPort;
  if (s.protocol === 1 || s.protocol === 58) {
    // Flow keeps the ICMP type in dstPort and the code in srcPort. v5 and many v9
    // exporters put type << 8 | code in the destination port when no ICMP field exists.
    const typeCode = s.icmpTypeCode >= 0 ? s.icmpTypeCode : dstPort;
    dstPort = s.icmpTypeCode < 0 && s.icmpType >= 0 ? s.icmpType : typeCode >>> 8;
    srcPort = s.icmpTypeCode < 0 && s.icmpType >= 0 ? Math.max(s.icmpCode, 0) : typeCode & 255;
  }
  recordTimes(ctx, s, TIMES);

  const flow: MutableFlow = {
    src: v6 ? ipv6Text(ctx.bytes, s.src6) : ipv4Text(s.src4),
    dst: v6 ? ipv6Text(ctx.bytes, s.dst6) : ipv4Text(s.dst4),
    srcPort,
    dstPort,
    protocol: s.protocol,
    start: TIMES[0]!,
    end: TIMES[1]!,
    packets: firstOf(s.packetsDelta, s.packetsTotal, s.initiatorPackets, s.postPackets) * rate,
    bytes: firstOf(s.bytesDelta, s.bytesTotal, s.initiatorBytes, s.postBytes) * rate,
    packetsReverse: firstOf(s.reversePackets, s.responderPackets, -1, -1) * rate,
    bytesReverse: firstOf(s.reverseBytes, s.responderBytes, -1, -1) * rate,
    origin: 'unknown',
    observer: ctx.domain.observer,
  };
  if (s.tcpFlags >= 0) flow.tcpFlags = s.tcpFlags;

  ctx.flows += 1;
  ctx.sink(flow);
  return true;
}
