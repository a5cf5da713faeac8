/** A decoder step succeeded. */
export const DECODED = 0;
/** The packet is deliberately not turned into a conversation; `reason` says why. */
export const NOT_IP = -1;
/** The packet is malformed; `problem` names the header and the value. */
export const MALFORMED = -2;

/** Link types a tunnel payload is decoded with (the pcap LINKTYPE numbers). */
export const LINK_ETHERNET = 1;
export const LINK_IPV4 = 228;
export const LINK_IPV6 = 229;

/**
 * What the decoders found in one packet. One instance is reused for every packet of a
 * file, so decoding allocates nothing: addresses stay in `bytes` at their offsets until
 * the conversation table copies them out for a new conversation.
 */
export class PacketFields {
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  /** Why a step returned NOT_IP. */
  reason = '';
  /** What a step that returned MALFORMED found wrong. */
  problem = '';

  /** 4 or 6 once the network layer is decoded; 0 while the link layer does not say. */
  family = 0;
  srcOffset = 0;
  dstOffset = 0;
  protocol = 0;
  /** Layer 3 length of the packet (IPv4 total length, IPv6 40 + payload length). */
  ipBytes = 0;
  /** 0: whole datagram, 1: first fragment, 2: a later fragment (no transport header). */
  fragment = 0;
  fragmentId = 0;

  /** Where the transport header starts and where the IP datagram (as captured) ends. */
  transportOffset = 0;
  transportEnd = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  icmpType = 0;
  icmpCode = 0;
  icmpId = 0;
  /** The transport payload, where a tunnel decoder looks for an inner frame. */
  payloadOffset = 0;
  payloadEnd = 0;

  /** Set by the tunnel decoder: how to decode the inner frame and where it ends. */
  innerLinkType = 0;
  innerEnd = 0;
  /** The tunnel the current inner frame came out of, for messages. */
  tunnel = '';

  /** Points the decoders at the buffer the next packets live in. */
  setBuffer(bytes: Uint8Array): void {
    if (bytes === this.bytes) return;
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Records why the packet is skipped and returns NOT_IP. */
  skip(reason: string): number {
    this.reason = reason;
    return NOT_IP;
  }

  /** Records what is wrong with the packet and returns MALFORMED. */
  fail(problem: string): number {
    this.problem = problem;
    return MALFORMED;
  }
}
