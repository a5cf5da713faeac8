import type { Address, Flow, FlowOrigin } from '../../domain/index.js';

/** One conversation being counted; turned into a Flow when it ends. */
export class Conversation {
  /** Counters of the direction `src` → `dst` and of the reply direction. */
  packets = 0;
  bytes = 0;
  packetsReverse = 0;
  bytesReverse = 0;
  tcpFlags = 0;
  /** FIN seen from `src` (1) and from `dst` (2). */
  fins = 0;
  /** FIN both ways or RST: the next SYN opens a new conversation. */
  closed = false;
  /** Handed to the sink; fragments that arrive later are no longer counted. */
  ended = false;
  start: number;
  end: number;

  constructor(
    readonly key: string,
    readonly src: Address,
    readonly dst: Address,
    readonly srcPort: number,
    readonly dstPort: number,
    readonly protocol: number,
    /** Whether `src` is the endpoint the key lists first. */
    readonly srcIsFirst: boolean,
    readonly origin: FlowOrigin,
    readonly timeout: number,
    time: number,
  ) {
    this.start = time;
    this.end = time;
  }

  /** Counts one packet; `forward` when it travels `src` → `dst`. */
  count(forward: boolean, ipBytes: number, time: number): void {
    if (forward) {
      this.packets += 1;
      this.bytes += ipBytes;
    } else {
      this.packetsReverse += 1;
      this.bytesReverse += ipBytes;
    }
    if (time > this.end) this.end = time;
    if (time < this.start) this.start = time;
  }

  /** The conversation as the flow the sink receives. */
  toFlow(): Flow {
    const flow: Flow = {
      src: this.src,
      dst: this.dst,
      srcPort: this.srcPort,
      dstPort: this.dstPort,
      protocol: this.protocol,
      start: this.start,
      end: this.end,
      packets: this.packets,
      bytes: this.bytes,
      packetsReverse: this.packetsReverse,
      bytesReverse: this.bytesReverse,
      origin: this.origin,
    };
    return this.protocol === 6 ? { ...flow, tcpFlags: this.tcpFlags } : flow;
  }
}
