import { LINK_ETHERNET, LINK_IPV4, LINK_IPV6, NOT_IP, type PacketFields } from './packet-fields.js';

const UDP = 17;
const GRE = 47;

const VXLAN_PORT = 4789;
const GENEVE_PORT = 6081;
const TEREDO_PORT = 3544;

/**
 * Finds the frame a tunnel packet carries: VXLAN (udp/4789), Geneve (udp/6081), Teredo
 * (udp/3544, or any UDP whose payload is an IPv6 packet to or from a Teredo address,
 * as Zeek finds it by content), GRE (with ERSPAN II/III and PPTP's enhanced GRE) and
 * IP in IP (4, 41).
 *
 * @returns the offset of the inner frame, with `f.innerLinkType`, `f.innerEnd` and
 *   `f.tunnel` set, or NOT_IP when the packet is not a tunnel this decoder knows.
 */
export function locateTunnelPayload(f: PacketFields): number {
  if (f.fragment !== 0) return NOT_IP;

  if (f.protocol === UDP) {
    if (f.payloadOffset === 0) return NOT_IP;
    if (f.dstPort === VXLAN_PORT || f.srcPort === VXLAN_PORT) return locateVxlan(f);
    if (f.dstPort === GENEVE_PORT || f.srcPort === GENEVE_PORT) return locateGeneve(f);
    return locateTeredo(f);
  }
  if (f.protocol === GRE) return locateGre(f);
  if (f.protocol === 4) return inner(f, 'IP in IP', LINK_IPV4, f.transportOffset, f.transportEnd);
  if (f.protocol === 41)
    return inner(f, 'IPv6 in IP', LINK_IPV6, f.transportOffset, f.transportEnd);
  return NOT_IP;
}

function inner(
  f: PacketFields,
  tunnel: string,
  linkType: number,
  start: number,
  end: number,
): number {
  if (start >= end) return NOT_IP;
  f.tunnel = tunnel;
  f.innerLinkType = linkType;
  f.innerEnd = end;
  return start;
}

function locateVxlan(f: PacketFields): number {
  const start = f.payloadOffset;
  if (f.payloadEnd - start < 8 + 14) return NOT_IP;
  if ((f.bytes[start]! & 0x08) === 0) return NOT_IP; // the I flag: a valid VNI follows
  return inner(f, 'VXLAN', LINK_ETHERNET, start + 8, f.payloadEnd);
}

function locateGeneve(f: PacketFields): number {
  const start = f.payloadOffset;
  if (f.payloadEnd - start < 8) return NOT_IP;
  if (f.bytes[start]! >> 6 !== 0) return NOT_IP; // only version 0 exists

  const optionsLength = (f.bytes[start]! & 0x3f) * 4;
  const type = f.view.getUint16(start + 2);
  const linkType = payloadLinkType(type);
  if (linkType === 0) return NOT_IP;
  return inner(f, 'Geneve', linkType, start + 8 + optionsLength, f.payloadEnd);
}

function payloadLinkType(etherType: number): number {
  if (etherType === 0x6558) return LINK_ETHERNET; // transparent Ethernet bridging
  if (etherType === 0x0800) return LINK_IPV4;
  if (etherType === 0x86dd) return LINK_IPV6;
  return 0;
}

// Teredo (RFC 4380) puts an IPv6 packet in UDP, optionally behind an authentication
// header (type 1) and an origin indication (type 0, 8 bytes).
function locateTeredo(f: PacketFields): number {
  const onPort = f.dstPort === TEREDO_PORT || f.srcPort === TEREDO_PORT;
  let start = f.payloadOffset;
  const end = f.payloadEnd;

  if (end - start >= 13 && f.bytes[start] === 0 && f.bytes[start + 1] === 1) {
    start += 13 + f.bytes[start + 2]! + f.bytes[start + 3]!;
  }
  if (end - start >= 8 && f.bytes[start] === 0 && f.bytes[start + 1] === 0) start += 8;
  if (end - start < 40 || f.bytes[start]! >> 4 !== 6) return NOT_IP;
  if (40 + f.view.getUint16(start + 4) !== end - start) return NOT_IP;

  // Bubbles (no payload, next header 59) only open NAT mappings; Zeek drops them too.
  if (f.bytes[start + 6] === 59 && f.view.getUint16(start + 4) === 0) return NOT_IP;
  if (!onPort && !isTeredoAddress(f, start + 8) && !isTeredoAddress(f, start + 24)) {
    return NOT_IP;
  }
  return inner(f, 'Teredo', LINK_IPV6, start, end);
}

/** Teredo clients hold an address in 2001:0::/32. */
function isTeredoAddress(f: PacketFields, offset: number): boolean {
  return f.view.getUint32(offset) === 0x20010000;
}

function locateGre(f: PacketFields): number {
  const start = f.transportOffset;
  const ipEnd = f.transportEnd;
  if (ipEnd - start < 4) return NOT_IP;

  const flags = f.view.getUint16(start);
  const version = flags & 7;
  const protocol = f.view.getUint16(start + 2);
  if (version === 1) return locateEnhancedGre(f, start, ipEnd, flags, protocol);
  if (version !== 0 || (flags & 0x4000) !== 0) return NOT_IP; // source routing: obsolete

  let offset = start + 4;
  if ((flags & 0x8000) !== 0) offset += 4; // checksum and reserved
  if ((flags & 0x2000) !== 0) offset += 4; // key
  if ((flags & 0x1000) !== 0) offset += 4; // sequence number

  if (protocol === 0x88be) return inner(f, 'ERSPAN', LINK_ETHERNET, offset + 8, ipEnd);
  if (protocol === 0x22eb) {
    if (ipEnd - offset < 12) return NOT_IP;
    const optional = (f.bytes[offset + 11]! & 1) !== 0 ? 8 : 0;
    return inner(f, 'ERSPAN', LINK_ETHERNET, offset + 12 + optional, ipEnd);
  }
  const linkType = payloadLinkType(protocol);
  if (linkType === 0) return NOT_IP;
  return inner(f, 'GRE', linkType, offset, ipEnd);
}

// PPTP's enhanced GRE (RFC 2637) always has a key and carries PPP.
function locateEnhancedGre(
  f: PacketFields,
  start: number,
  end: number,
  flags: number,
  protocol: number,
): number {
  if (protocol !== 0x880b) return NOT_IP;

  let offset = start + 8;
  if ((flags & 0x1000) !== 0) offset += 4; // sequence number
  if ((flags & 0x0080) !== 0) offset += 4; // acknowledgement number
  if (end - offset >= 2 && f.bytes[offset] === 0xff && f.bytes[offset + 1] === 0x03) offset += 2;
  if (end - offset < 1) return NOT_IP;

  // PPP protocol field compression leaves a single odd byte.
  const compressed = (f.bytes[offset]! & 1) === 1;
  const pppProtocol = compressed ? f.bytes[offset]! : f.view.getUint16(offset);
  offset += compressed ? 1 : 2;
  if (pppProtocol === 0x21) return inner(f, 'PPTP', LINK_IPV4, offset, end);
  if (pppProtocol === 0x57) return inner(f, 'PPTP', LINK_IPV6, offset, end);
  return NOT_IP;
}
