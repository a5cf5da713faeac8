import type { Address, FlowOrigin } from '../../domain/index.js';
import { skip, type FlowSink, type ReadReport } from '../report.js';
import { formatIpv4, ipv6Text } from '../address-text.js';
import { Conversation } from './conversation.js';
import { isEcho, isEchoRequest } from './network.js';
import type { PacketFields } from './packet-fields.js';

/** Idle timeouts in milliseconds; a conversation quiet for longer ends. */
export interface IdleTimeouts {
  readonly tcp: number;
  readonly udp: number;
  readonly icmp: number;
  /** Every other protocol (SCTP, GRE, ESP, …). */
  readonly other: number;
}

/** Zeek's defaults: tcp_inactivity_timeout 5 min, udp and icmp 1 min. */
export const DEFAULT_IDLE_TIMEOUTS: IdleTimeouts = {
  tcp: 300_000,
  udp: 60_000,
  icmp: 60_000,
  other: 60_000,
};

// After FIN both ways or RST the last ACKs and retransmissions still belong to the
// conversation; Zeek waits tcp_close_delay (5 s) before it forgets one, and so do we.
const CLOSE_LINGER_MS = 5_000;
// Fragments of one datagram arrive within the reassembly timeout (Linux ipfrag_time 30 s).
const FRAGMENT_TIMEOUT_MS = 30_000;
const MAX_FRAGMENTED_DATAGRAMS = 65_536;
// Expire idle conversations every 10 s of capture time: often enough to bound memory,
// rare enough that the walk over the table costs nothing per packet.
const SWEEP_INTERVAL_MS = 10_000;

const TCP = 6;
const UDP = 17;
const SCTP = 132;
const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;

/** Key kinds: an unordered 5-tuple, an ICMP echo exchange, a one-way ICMP message. */
const TUPLE = 0;
const ECHO = 1;
const ONE_WAY = 2;

interface FirstFragment {
  readonly conversation: Conversation;
  readonly forward: boolean;
}

/**
 * Turns decoded packets into conversations keyed on the unordered 5-tuple, ends them on
 * idle timeout, FIN both ways or RST, and hands each ended one to the sink as a Flow.
 */
export class ConversationTable {
  private readonly conversations = new Map<string, Conversation>();
  private readonly fragments = new Map<string, FirstFragment>();
  private nextSweep = -Infinity;

  constructor(
    private readonly report: ReadReport,
    private readonly sink: FlowSink,
    private readonly timeouts: IdleTimeouts,
  ) {}

  /** Counts one decoded packet at capture time `time` (ms since the epoch). */
  observe(f: PacketFields, time: number): void {
    if (time >= this.nextSweep) this.sweep(time);
    if (f.fragment === 2) {
      this.observeLaterFragment(f);
      return;
    }

    const kind = keyKind(f);
    const senderFirst = kind === ONE_WAY || compareEndpoints(f, kind) <= 0;
    const key = buildKey(f, kind, senderFirst);

    let conversation = this.conversations.get(key);
    if (conversation !== undefined && isFinished(conversation, f, time)) {
      this.end(conversation);
      conversation = undefined;
    }
    if (conversation === undefined) {
      conversation = this.open(f, key, kind, senderFirst, time);
      this.conversations.set(key, conversation);
    }

    const forward = senderFirst === conversation.srcIsFirst;
    conversation.count(forward, f.ipBytes, time);
    if (f.protocol === TCP) trackTcp(conversation, f.tcpFlags, forward);
    if (f.fragment === 1) this.rememberFragment(f, conversation, forward);
  }

  /** Ends every conversation still open, in the order they were opened. */
  flush(): void {
    for (const conversation of this.conversations.values()) this.end(conversation);
    this.fragments.clear();
  }

  private open(
    f: PacketFields,
    key: string,
    kind: number,
    senderFirst: boolean,
    time: number,
  ): Conversation {
    let senderIsSrc = true;
    let origin: FlowOrigin = 'unknown';
    if (f.protocol === TCP && (f.tcpFlags & SYN) !== 0) {
      origin = 'handshake';
      senderIsSrc = (f.tcpFlags & ACK) === 0;
    }
    if (kind === ECHO) senderIsSrc = isEchoRequest(f.protocol, f.icmpType);

    const sender = formatAddress(f, f.srcOffset);
    const receiver = formatAddress(f, f.dstOffset);
    const src = senderIsSrc ? sender : receiver;
    const dst = senderIsSrc ? receiver : sender;
    const [srcPort, dstPort] = flowPorts(f, kind, senderIsSrc);
    const srcIsFirst = senderIsSrc === senderFirst;
    const timeout = this.timeoutOf(f.protocol, kind);

    return new Conversation(
      key,
      src,
      dst,
      srcPort,
      dstPort,
      f.protocol,
      srcIsFirst,
      origin,
      timeout,
      time,
    );
  }

  private timeoutOf(protocol: number, kind: number): number {
    if (protocol === TCP) return this.timeouts.tcp;
    if (protocol === UDP) return this.timeouts.udp;
    if (kind !== TUPLE) return this.timeouts.icmp;
    return this.timeouts.other;
  }

  private end(conversation: Conversation): void {
    conversation.ended = true;
    this.conversations.delete(conversation.key);
    this.report.flows += 1;
    this.sink(conversation.toFlow());
  }

  private sweep(time: number): void {
    this.nextSweep = time + SWEEP_INTERVAL_MS;
    for (const conversation of this.conversations.values()) {
      const idle = time - conversation.end;
      if (idle > conversation.timeout || (conversation.closed && idle > CLOSE_LINGER_MS)) {
        this.end(conversation);
      }
    }
    for (const [key, first] of this.fragments) {
      const stale = time - first.conversation.end > FRAGMENT_TIMEOUT_MS;
      if (stale || first.conversation.ended) this.fragments.delete(key);
    }
  }

  private rememberFragment(f: PacketFields, conversation: Conversation, forward: boolean): void {
    if (this.fragments.size >= MAX_FRAGMENTED_DATAGRAMS) this.fragments.clear();
    this.fragments.set(fragmentKey(f), { conversation, forward });
  }

  // Later fragments carry no ports: they add their bytes to the conversation of the
  // first fragment with the same addresses, protocol and IP id, and are not counted as
  // packets of their own (Zeek counts a reassembled datagram once).
  private observeLaterFragment(f: PacketFields): void {
    const first = this.fragments.get(fragmentKey(f));
    if (first === undefined || first.conversation.ended) {
      skip(this.report, 'IP fragment without its first fragment');
      return;
    }
    if (first.forward) first.conversation.bytes += f.ipBytes;
    else first.conversation.bytesReverse += f.ipBytes;
  }
}

function keyKind(f: PacketFields): number {
  if (f.protocol !== 1 && f.protocol !== 58) return TUPLE;
  return isEcho(f.protocol, f.icmpType) ? ECHO : ONE_WAY;
}

function isFinished(conversation: Conversation, f: PacketFields, time: number): boolean {
  const idle = time - conversation.end;
  if (idle > conversation.timeout) return true;
  if (!conversation.closed) return false;
  if (f.protocol === TCP && (f.tcpFlags & (SYN | ACK)) === SYN) return true;
  return idle > CLOSE_LINGER_MS;
}

function trackTcp(conversation: Conversation, flags: number, forward: boolean): void {
  conversation.tcpFlags |= flags;
  if ((flags & RST) !== 0) conversation.closed = true;
  if ((flags & FIN) === 0) return;
  conversation.fins |= forward ? 1 : 2;
  if (conversation.fins === 3) conversation.closed = true;
}

/**
 * The ports a flow carries: TCP, UDP and SCTP ports from the opener's side; for ICMP the
 * request type as `dstPort` (8 or 128 for echo) and the code as `srcPort`.
 */
function flowPorts(f: PacketFields, kind: number, senderIsSrc: boolean): [number, number] {
  if (kind === ECHO) return [f.icmpCode, f.protocol === 1 ? 8 : 128];
  if (kind === ONE_WAY) return [f.icmpCode, f.icmpType];
  if (f.protocol !== TCP && f.protocol !== UDP && f.protocol !== SCTP) return [0, 0];
  return senderIsSrc ? [f.srcPort, f.dstPort] : [f.dstPort, f.srcPort];
}

function formatAddress(f: PacketFields, offset: number): Address {
  return f.family === 4 ? formatIpv4(f.bytes, offset) : ipv6Text(f.bytes, offset);
}

/** Orders the packet's source before its destination (negative) or after (positive). */
function compareEndpoints(f: PacketFields, kind: number): number {
  const length = f.family === 4 ? 4 : 16;
  for (let i = 0; i < length; i++) {
    const difference = f.bytes[f.srcOffset + i]! - f.bytes[f.dstOffset + i]!;
    if (difference !== 0) return difference;
  }
  return kind === TUPLE ? f.srcPort - f.dstPort : 0;
}

// Keys are short strings of 16-bit units (kind, protocol, both endpoints in key order):
// cheaper to build and hash than text, and never confused across address families
// because the length differs.
function buildKey(f: PacketFields, kind: number, senderFirst: boolean): string {
  let portA = f.srcPort;
  let portB = f.dstPort;
  if (kind === ECHO) portA = portB = f.icmpId;
  if (kind === ONE_WAY) {
    portA = f.icmpType;
    portB = f.icmpCode;
  }

  const a = senderFirst ? f.srcOffset : f.dstOffset;
  const b = senderFirst ? f.dstOffset : f.srcOffset;
  const head = String.fromCharCode(kind, f.protocol);
  const v = f.view;
  if (f.family === 4) {
    return (
      head + units4(v, a, senderFirst ? portA : portB) + units4(v, b, senderFirst ? portB : portA)
    );
  }
  return (
    head + units16(v, a, senderFirst ? portA : portB) + units16(v, b, senderFirst ? portB : portA)
  );
}

function fragmentKey(f: PacketFields): string {
  const id = f.fragmentId;
  const head = String.fromCharCode(f.protocol, id >>> 16, id & 0xffff);
  if (f.family === 4) return head + units4(f.view, f.srcOffset, 0) + units4(f.view, f.dstOffset, 0);
  return head + units16(f.view, f.srcOffset, 0) + units16(f.view, f.dstOffset, 0);
}

function units4(v: DataView, offset: number, port: number): string {
  return String.fromCharCode(v.getUint16(offset), v.getUint16(offset + 2), port);
}

function units16(v: DataView, o: number, port: number): string {
  return String.fromCharCode(
    v.getUint16(o),
    v.getUint16(o + 2),
    v.getUint16(o + 4),
    v.getUint16(o + 6),
    v.getUint16(o + 8),
    v.getUint16(o + 10),
    v.getUint16(o + 12),
    v.getUint16(o + 14),
    port,
  );
}
