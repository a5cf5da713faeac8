import type { Address } from './address.js';

/**
 * How sure a reader is that `src` opened the conversation.
 *
 * - `handshake`: the reader saw the opening packet (TCP SYN without ACK).
 * - `sensor`: another tool decided (Zeek's originator, a flow log's direction field).
 * - `unknown`: `src` only sent the first packet the reader saw; the conversation may
 *   have started before the capture. Direction inference decides later.
 */
export type FlowOrigin = 'handshake' | 'sensor' | 'unknown';

/** What the network did with a flow where the source says so (flow logs record rejects). */
export type FlowAction = 'accept' | 'reject';

/**
 * One observed conversation. `src` → `dst` counters are `packets` and `bytes`; the reply
 * direction's are `packetsReverse` and `bytesReverse`.
 *
 * For ICMP, `dstPort` holds the request's ICMP type (8 for echo) and `srcPort` its code.
 * For protocols without ports both are 0.
 */
export interface Flow {
  readonly src: Address;
  readonly dst: Address;
  readonly srcPort: number;
  readonly dstPort: number;
  /** IANA protocol number. */
  readonly protocol: number;
  /** First packet, milliseconds since the Unix epoch. */
  readonly start: number;
  /** Last packet, milliseconds since the Unix epoch. */
  readonly end: number;
  readonly packets: number;
  readonly bytes: number;
  readonly packetsReverse: number;
  readonly bytesReverse: number;
  readonly origin: FlowOrigin;
  /** TCP flags seen in either direction, ORed, when the source reports them. */
  readonly tcpFlags?: number;
  readonly action?: FlowAction;
  /** Where the flow was seen: an interface, node, sensor or exporter, when the source says. */
  readonly observer?: string;
  /** The rule or reason the network gave for its action (Azure rule name, drop reason). */
  readonly actionReason?: string;
}
