import { ipv6Text } from '../address-text.js';

/**
 * Just enough of classic pcap and pcapng to pull UDP payloads out of a capture of export
 * packets. Kept internal to the NetFlow reader on purpose: the general pcap reader lives
 * elsewhere and handles far more.
 */

/** One UDP datagram found in a capture. */
export interface UdpPayload {
  readonly payload: Uint8Array;
  readonly srcAddress: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

/** Why a captured packet gave no UDP payload. */
export type CaptureSkip = 'not-udp' | 'ip-fragment' | 'unknown-link' | 'truncated-packet';

/** Receives each UDP payload, or the reason a packet had none, with the packet number. */
export interface CaptureVisitor {
  udp(datagram: UdpPayload, packet: number): void;
  skip(reason: CaptureSkip, packet: number): void;
}

const LINK_NULL = 0;
const LINK_ETHERNET = 1;
const LINK_RAW = 101;
const LINK_RAW_OLD = 12;
const LINK_LINUX_SLL = 113;
const LINK_IPV4 = 228;
const LINK_IPV6 = 229;
const LINK_LINUX_SLL2 = 276;

/** Whether the bytes start like a classic pcap (either byte order, µs or ns) or pcapng file. */
export function isCapture(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
  return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(magic);
}

/**
 * Walks a capture in memory and reports every packet.
 *
 * @throws SyntaxError when the file header is not pcap or pcapng.
 */
export function walkCapture(data: Uint8Array, visitor: CaptureVisitor): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length >= 4 && view.getUint32(0) === 0x0a0d0d0a) {
    walkPcapng(data, view, visitor);
    return;
  }
  if (data.length < 24 || !isCapture(data)) throw new SyntaxError('not a pcap or pcapng file');
  const magic = view.getUint32(0);
  const little = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const link = view.getUint32(20, little);

  let packet = 0;
  for (let at = 24; at + 16 <= data.length;) {
    const captured = view.getUint32(at + 8, little);
    const start = at + 16;
    packet += 1;
    if (start + captured > data.length) {
      visitor.skip('truncated-packet', packet);
      return;
    }
    visitLink(data.subarray(start, start + captured), link, packet, visitor);
    at = start + captured;
  }
}

function walkPcapng(data: Uint8Array, view: DataView, visitor: CaptureVisitor): void {
  let little = true;
  let links: number[] = [];
  let packet = 0;
  for (let at = 0; at + 12 <= data.length;) {
    const type = view.getUint32(at, little);
    if (type === 0x0a0d0d0a) {
      // A section header: its byte-order magic decides how the section reads.
      little = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      links = [];
    }
    const length = view.getUint32(at + 4, little);
    if (length < 12 || at + length > data.length) {
      visitor.skip('truncated-packet', packet + 1);
      return;
    }
    if (type === 1) links.push(view.getUint16(at + 8, little));
    else if (type === 6 && length >= 32) {
      packet += 1;
      const captured = view.getUint32(at + 20, little);
      const link = links[view.getUint32(at + 8, little)] ?? -1;
      if (28 + captured > length) visitor.skip('truncated-packet', packet);
      else visitLink(data.subarray(at + 28, at + 28 + captured), link, packet, visitor);
    } else if (type === 3 && length >= 16) {
      packet += 1;
      visitLink(data.subarray(at + 12, at + length - 4), links[0] ?? -1, packet, visitor);
    }
    at += length;
  }
}

function visitLink(frame: Uint8Array, link: number, packet: number, visitor: CaptureVisitor): void {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let at: number;
  let etherType: number;
  switch (link) {
    case LINK_ETHERNET:
      at = 14;
      etherType = frame.length >= 14 ? view.getUint16(12) : -1;
      // 802.1Q and 802.1ad tags, possibly stacked.
      while ((etherType === 0x8100 || etherType === 0x88a8) && at + 4 <= frame.length) {
        etherType = view.getUint16(at + 2);
        at += 4;
      }
      break;
    case LINK_LINUX_SLL:
      at = 16;
      etherType = frame.length >= 16 ? view.getUint16(14) : -1;
      break;
    case LINK_LINUX_SLL2:
      at = 20;
      etherType = frame.length >= 20 ? view.getUint16(0) : -1;
      break;
    case LINK_NULL:
      at = 4;
      etherType = -2;
      break;
    case LINK_RAW:
    case LINK_RAW_OLD:
    case LINK_IPV4:
    case LINK_IPV6:
      at = 0;
      etherType = -2;
      break;
    default:
      visitor.skip('unknown-link', packet);
      return;
  }
  if (at > frame.length) visitor.skip('truncated-packet', packet);
  else visitIp(frame, view, at, etherType, packet, visitor);
}

function visitIp(
  frame: Uint8Array,
  view: DataView,
  at: number,
  etherType: number,
  packet: number,
  visitor: CaptureVisitor,
): void {
  const version = at < frame.length ? frame[at]! >> 4 : 0;
  if (etherType === 0x0800 || (etherType === -2 && version === 4)) {
    visitIpv4(frame, view, at, packet, visitor);
  } else if (etherType === 0x86dd || (etherType === -2 && version === 6)) {
    visitIpv6(frame, view, at, packet, visitor);
  } else {
    visitor.skip('not-udp', packet);
  }
}

function visitIpv4(
  frame: Uint8Array,
  view: DataView,
  at: number,
  packet: number,
  visitor: CaptureVisitor,
): void {
  if (at + 20 > frame.length) {
    visitor.skip('truncated-packet', packet);
    return;
  }
  const headerLength = (frame[at]! & 15) * 4;
  const fragment = view.getUint16(at + 6) & 0x3fff;
  if (frame[at + 9] !== 17) {
    visitor.skip('not-udp', packet);
    return;
  }
  if (fragment !== 0) {
    visitor.skip('ip-fragment', packet);
    return;
  }
  const source = `${frame[at + 12]}.${frame[at + 13]}.${frame[at + 14]}.${frame[at + 15]}`;
  const total = Math.min(view.getUint16(at + 2), frame.length - at);
  visitUdp(frame.subarray(at + headerLength, at + total), source, packet, visitor);
}

function visitIpv6(
  frame: Uint8Array,
  view: DataView,
  at: number,
  packet: number,
  visitor: CaptureVisitor,
): void {
  if (at + 40 > frame.length) {
    visitor.skip('truncated-packet', packet);
    return;
  }
  let next = frame[at + 6]!;
  let offset = at + 40;
  // Hop-by-hop, routing and destination options headers may precede UDP.
  while ((next === 0 || next === 43 || next === 60) && offset + 8 <= frame.length) {
    next = frame[offset]!;
    offset += (frame[offset + 1]! + 1) * 8;
  }
  if (next === 44) {
    visitor.skip('ip-fragment', packet);
    return;
  }
  if (next !== 17) {
    visitor.skip('not-udp', packet);
    return;
  }
  const end = Math.min(at + 40 + view.getUint16(at + 4), frame.length);
  visitUdp(frame.subarray(offset, end), ipv6Text(frame, at + 8), packet, visitor);
}

function visitUdp(
  segment: Uint8Array,
  source: string,
  packet: number,
  visitor: CaptureVisitor,
): void {
  if (segment.length < 8) {
    visitor.skip('truncated-packet', packet);
    return;
  }
  const view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
  const length = Math.min(view.getUint16(4), segment.length);
  visitor.udp(
    {
      payload: segment.subarray(8, Math.max(8, length)),
      srcAddress: source,
      srcPort: view.getUint16(0),
      dstPort: view.getUint16(2),
    },
    packet,
  );
}
