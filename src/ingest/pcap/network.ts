import { DECODED, type PacketFields } from './packet-fields.js';

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const ICMPV6 = 58;
const SCTP = 132;

/** IPv6 extension headers walked before giving up; a real chain holds a handful. */
const MAX_EXTENSIONS = 16;

/**
 * Decodes the IP header at `offset` and the transport header after it into `f`.
 *
 * @returns DECODED, NOT_IP or MALFORMED (with `f.problem` naming the value).
 */
export function decodeIp(f: PacketFields, offset: number, end: number): number {
  if (offset >= end) return f.fail('frame ends before the IP header');

  const version = f.bytes[offset]! >> 4;
  if (f.family !== 0 && version !== f.family) {
    return f.fail(`link layer announces IPv${f.family} but the IP version is ${version}`);
  }
  if (version === 4) return decodeIpv4(f, offset, end);
  if (version === 6) return decodeIpv6(f, offset, end);
  return f.fail(`IP version is ${version}; expected 4 or 6`);
}

function decodeIpv4(f: PacketFields, offset: number, end: number): number {
  const captured = end - offset;
  if (captured < 20) return f.fail(`IPv4 header needs 20 bytes, found ${captured}`);

  const headerLength = (f.bytes[offset]! & 0x0f) * 4;
  if (headerLength < 20) return f.fail(`IPv4 header length is ${headerLength}; the minimum is 20`);
  if (captured < headerLength) {
    return f.fail(`IPv4 header with options needs ${headerLength} bytes, found ${captured}`);
  }

  // A total length of 0 comes from TCP segmentation offload: the NIC fills it in later.
  let total = f.view.getUint16(offset + 2);
  if (total === 0) total = captured;
  if (total < headerLength) {
    return f.fail(`IPv4 total length ${total} is shorter than its header (${headerLength} bytes)`);
  }

  f.family = 4;
  f.ipBytes = total;
  f.protocol = f.bytes[offset + 9]!;
  f.srcOffset = offset + 12;
  f.dstOffset = offset + 16;
  f.fragmentId = f.view.getUint16(offset + 4);

  const flagsAndOffset = f.view.getUint16(offset + 6);
  const later = (flagsAndOffset & 0x1fff) !== 0;
  const more = (flagsAndOffset & 0x2000) !== 0;
  f.fragment = later ? 2 : more ? 1 : 0;
  if (later) return clearTransport(f);

  return decodeTransport(f, offset + headerLength, Math.min(end, offset + total));
}

function decodeIpv6(f: PacketFields, offset: number, end: number): number {
  const captured = end - offset;
  if (captured < 40) return f.fail(`IPv6 header needs 40 bytes, found ${captured}`);

  // A payload length of 0 with a hop-by-hop header is a jumbogram; count what was captured.
  const payloadLength = f.view.getUint16(offset + 4);
  f.family = 6;
  f.ipBytes = payloadLength === 0 ? captured : 40 + payloadLength;
  f.srcOffset = offset + 8;
  f.dstOffset = offset + 24;
  f.fragment = 0;
  f.fragmentId = 0;

  const limit = Math.min(end, offset + f.ipBytes);
  let next = f.bytes[offset + 6]!;
  let position = offset + 40;

  for (let count = 0; count < MAX_EXTENSIONS; count++) {
    const length = extensionLength(f, next, position, limit);
    if (length === 0) {
      f.protocol = next;
      return decodeTransport(f, position, limit);
    }
    if (length < 0) return length;

    if (next === 44) {
      const fragmentOffset = f.view.getUint16(position + 2) >> 3;
      f.fragment = fragmentOffset !== 0 ? 2 : (f.bytes[position + 3]! & 1) !== 0 ? 1 : 0;
      f.fragmentId = f.view.getUint32(position + 4);
      if (f.fragment === 2) {
        f.protocol = f.bytes[position]!;
        return clearTransport(f);
      }
    }
    next = f.bytes[position]!;
    position += length;
  }
  return f.fail(`more than ${MAX_EXTENSIONS} IPv6 extension headers`);
}

/**
 * The length of the IPv6 extension header `next` at `position`: 0 when `next` is not
 * an extension header (so it is the transport protocol), negative (MALFORMED, with
 * `f.problem` set) when it does not fit.
 */
function extensionLength(f: PacketFields, next: number, position: number, limit: number): number {
  let length: number;
  switch (next) {
    case 0: // hop-by-hop options
    case 43: // routing
    case 60: // destination options
    case 135: // mobility
      if (limit - position < 2) return truncatedExtension(f, next, 2, limit - position);
      length = (f.bytes[position + 1]! + 1) * 8;
      break;
    case 44: // fragment
      length = 8;
      break;
    case 51: // authentication header counts in 4-byte units, minus 2
      if (limit - position < 2) return truncatedExtension(f, next, 2, limit - position);
      length = (f.bytes[position + 1]! + 2) * 4;
      break;
    default:
      return 0;
  }
  if (limit - position < length) return truncatedExtension(f, next, length, limit - position);
  return length;
}

function truncatedExtension(f: PacketFields, next: number, need: number, found: number): number {
  return f.fail(`IPv6 extension header ${next} needs ${need} bytes, found ${found}`);
}

function clearTransport(f: PacketFields): number {
  f.transportOffset = 0;
  f.transportEnd = 0;
  f.srcPort = 0;
  f.dstPort = 0;
  f.tcpFlags = 0;
  f.payloadOffset = 0;
  f.payloadEnd = 0;
  return DECODED;
}

function decodeTransport(f: PacketFields, offset: number, end: number): number {
  clearTransport(f);
  f.transportOffset = offset;
  f.transportEnd = end;
  const captured = end - offset;

  switch (f.protocol) {
    case TCP:
      if (captured < 14) {
        return f.fail(`TCP header needs 14 bytes for ports and flags, found ${captured}`);
      }
      f.tcpFlags = f.bytes[offset + 13]!;
      f.payloadOffset = offset + (f.bytes[offset + 12]! >> 4) * 4;
      break;
    case UDP:
      if (captured < 8) return f.fail(`UDP header needs 8 bytes, found ${captured}`);
      f.payloadOffset = offset + 8;
      break;
    case SCTP:
      if (captured < 4) return f.fail(`SCTP header needs 4 bytes for ports, found ${captured}`);
      break;
    case ICMP:
    case ICMPV6:
      return decodeIcmp(f, offset, end);
    default:
      return DECODED;
  }

  f.srcPort = f.view.getUint16(offset);
  f.dstPort = f.view.getUint16(offset + 2);
  f.payloadEnd = end;
  return DECODED;
}

function decodeIcmp(f: PacketFields, offset: number, end: number): number {
  const captured = end - offset;
  const name = f.protocol === ICMP ? 'ICMP' : 'ICMPv6';
  if (captured < 4) return f.fail(`${name} header needs 4 bytes, found ${captured}`);

  f.icmpType = f.bytes[offset]!;
  f.icmpCode = f.bytes[offset + 1]!;
  f.icmpId = 0;
  if (isEcho(f.protocol, f.icmpType)) {
    if (captured < 8) return f.fail(`${name} echo header needs 8 bytes, found ${captured}`);
    f.icmpId = f.view.getUint16(offset + 4);
  }
  return DECODED;
}

/** Whether an ICMP or ICMPv6 type is an echo request or reply (0/8, 128/129). */
export function isEcho(protocol: number, type: number): boolean {
  if (protocol === ICMP) return type === 8 || type === 0;
  return type === 128 || type === 129;
}

/** Whether an ICMP or ICMPv6 type is the echo request (8, 128). */
export function isEchoRequest(protocol: number, type: number): boolean {
  return protocol === ICMP ? type === 8 : type === 128;
}
