import type { PacketFields } from './packet-fields.js';

/** Link types (pcap LINKTYPE values) whose frames Bulkhead decodes. */
export const SUPPORTED_LINK_TYPES: readonly number[] = [0, 1, 101, 108, 113, 228, 229, 276];

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;

/** Tags (VLAN, MPLS labels) walked before giving up; real stacks hold two or three. */
const MAX_TAGS = 16;

/**
 * Finds the network layer of a frame.
 *
 * @returns the offset of the IP header (with `f.family` set to the version the link
 *   layer announced, or 0 when it does not say), or NOT_IP / MALFORMED.
 */
export function locateNetworkLayer(
  f: PacketFields,
  linkType: number,
  start: number,
  end: number,
): number {
  f.family = 0;
  switch (linkType) {
    case 1:
      return walkEthernet(f, start, end);
    case 0:
    case 108:
      return walkLoopback(f, start, end);
    case 101:
      return start;
    case 228:
      f.family = 4;
      return start;
    case 229:
      f.family = 6;
      return start;
    case 113:
      if (end - start < 16) return f.fail(`Linux SLL header needs 16 bytes, found ${end - start}`);
      return walkEtherType(f, f.view.getUint16(start + 14), start + 16, end);
    case 276:
      if (end - start < 20) return f.fail(`Linux SLL2 header needs 20 bytes, found ${end - start}`);
      return walkEtherType(f, f.view.getUint16(start), start + 20, end);
    default:
      return f.fail(
        `link type ${linkType} is not supported; supported link types are ${SUPPORTED_LINK_TYPES.join(', ')}`,
      );
  }
}

function walkEthernet(f: PacketFields, start: number, end: number): number {
  if (end - start < 14) return f.fail(`Ethernet header needs 14 bytes, found ${end - start}`);
  return walkEtherType(f, f.view.getUint16(start + 12), start + 14, end);
}

// BSD loopback: a 4-byte address family, in host byte order for link type 0 (so either
// order here) and network order for 108. AF_INET is 2 everywhere; AF_INET6 is 24, 28 or
// 30 depending on the BSD.
function walkLoopback(f: PacketFields, start: number, end: number): number {
  if (end - start < 4) return f.fail(`loopback header needs 4 bytes, found ${end - start}`);

  const big = f.view.getUint32(start);
  const family = big < 0x10000 ? big : f.view.getUint32(start, true);
  if (family === 2) f.family = 4;
  else if (family === 24 || family === 28 || family === 30) f.family = 6;
  else return f.skip('not IP');

  return start + 4;
}

function walkEtherType(f: PacketFields, first: number, start: number, end: number): number {
  let type = first;
  let offset = start;

  for (let tags = 0; tags < MAX_TAGS; tags++) {
    switch (type) {
      case ETHERTYPE_IPV4:
        f.family = 4;
        return offset;
      case ETHERTYPE_IPV6:
        f.family = 6;
        return offset;
      case 0x8100: // 802.1Q
      case 0x88a8: // 802.1ad (QinQ outer tag)
      case 0x9100: // pre-standard QinQ
        if (end - offset < 4) return f.fail(`VLAN tag needs 4 bytes, found ${end - offset}`);
        type = f.view.getUint16(offset + 2);
        offset += 4;
        break;
      case 0x8847: // MPLS unicast
      case 0x8848: // MPLS multicast
        return walkMpls(f, offset, end);
      case 0x8864: // PPPoE session
        return walkPppoe(f, offset, end);
      case 0x8903: // Cisco FabricPath: 2 bytes FTag/TTL, then the inner Ethernet header
        if (end - offset < 16)
          return f.fail(`FabricPath header needs 16 bytes, found ${end - offset}`);
        type = f.view.getUint16(offset + 14);
        offset += 16;
        break;
      default:
        return f.skip('not IP');
    }
  }
  return f.fail(`more than ${MAX_TAGS} VLAN or FabricPath tags`);
}

// MPLS carries no payload type: after the bottom-of-stack label the first nibble says
// whether an IP header follows (anything else, e.g. an Ethernet pseudowire, is skipped).
function walkMpls(f: PacketFields, start: number, end: number): number {
  let offset = start;

  for (let labels = 0; labels < MAX_TAGS; labels++) {
    if (end - offset < 4) return f.fail(`MPLS label needs 4 bytes, found ${end - offset}`);
    const bottom = (f.bytes[offset + 2]! & 1) === 1;
    offset += 4;
    if (!bottom) continue;

    if (offset >= end) return f.fail('MPLS stack ends the frame without a payload');
    const version = f.bytes[offset]! >> 4;
    if (version === 4 || version === 6) {
      f.family = version;
      return offset;
    }
    return f.skip('MPLS payload not IP');
  }
  return f.fail(`more than ${MAX_TAGS} MPLS labels`);
}

function walkPppoe(f: PacketFields, start: number, end: number): number {
  if (end - start < 8) return f.fail(`PPPoE session header needs 8 bytes, found ${end - start}`);

  const protocol = f.view.getUint16(start + 6);
  if (protocol === PPP_IPV4) f.family = 4;
  else if (protocol === PPP_IPV6) f.family = 6;
  else return f.skip('not IP');

  return start + 8;
}
