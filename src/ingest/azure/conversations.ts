import type { Flow } from '../../domain/index.js';
import type { AzureTuple } from './tuple.js';

type MutableFlow = { -readonly [K in keyof Flow]: Flow[K] };

/**
 * Open conversations held while waiting for their E (end) tuple. Azure writes a C tuple
 * every minute for a long-lived connection, so a conversation can stay open for hours; past
 * this many the oldest is handed on as it stands, which keeps memory bounded at the cost of
 * splitting a very long conversation in two.
 */
export const MAX_OPEN_CONVERSATIONS = 65_536;

/**
 * Ties the B (begin), C (continuing) and E (end) tuples of one Azure conversation into one
 * flow. Conversations are keyed by where they were seen and their five-tuple. Counters of C
 * and E tuples count since the previous tuple (Azure documents them so) and are summed.
 *
 * - B opens a conversation (a second B with the same key closes the first).
 * - C adds to the open conversation, or opens one when its B is in an earlier file.
 * - E adds and closes; without an open conversation it is a flow by itself.
 * - A denied tuple (NSG decision D, VNet state D) is a flow by itself: no connection follows.
 *
 * Flows leave when their conversation closes, so output follows E tuples, not B tuples;
 * `flush()` hands on what is still open at the end of a file.
 */
export class AzureConversations {
  private readonly open = new Map<string, MutableFlow>();

  constructor(private readonly sink: (flow: Flow) => void) {}

  /** Takes one tuple seen by `observer` under `rule`. */
  add(tuple: AzureTuple, observer: string | undefined, rule: string | undefined): void {
    if (tuple.action === 'reject') {
      this.sink(toFlow(tuple, observer, rule));
      return;
    }
    const key = `${observer ?? ''}|${tuple.protocol}|${tuple.src}|${tuple.srcPort}|${tuple.dst}|${tuple.dstPort}`;
    const current = this.open.get(key);

    if (tuple.state === 'B' || current === undefined) {
      if (current !== undefined) this.close(key, current);
      const flow = toFlow(tuple, observer, rule);
      if (tuple.state === 'E') {
        this.sink(flow);
        return;
      }
      if (this.open.size >= MAX_OPEN_CONVERSATIONS) this.closeOldest();
      this.open.set(key, flow);
      return;
    }

    current.end = Math.max(current.end, tuple.time);
    current.packets += tuple.packets;
    current.bytes += tuple.bytes;
    current.packetsReverse += tuple.packetsReverse;
    current.bytesReverse += tuple.bytesReverse;
    if (tuple.state === 'E') this.close(key, current);
  }

  /** Hands on every conversation still open, oldest first. */
  flush(): void {
    for (const [key, flow] of this.open) this.close(key, flow);
  }

  private closeOldest(): void {
    const first = this.open.entries().next();
    if (first.done !== true) this.close(first.value[0], first.value[1]);
  }

  private close(key: string, flow: Flow): void {
    this.open.delete(key);
    this.sink(flow);
  }
}

function toFlow(
  tuple: AzureTuple,
  observer: string | undefined,
  rule: string | undefined,
): MutableFlow {
  const flow: MutableFlow = {
    src: tuple.src,
    dst: tuple.dst,
    srcPort: tuple.srcPort,
    dstPort: tuple.dstPort,
    protocol: tuple.protocol,
    start: tuple.time,
    end: tuple.time,
    packets: tuple.packets,
    bytes: tuple.bytes,
    packetsReverse: tuple.packetsReverse,
    bytesReverse: tuple.bytesReverse,
    // Azure writes the five-tuple from the side that opened the connection: outbound
    // tuples start at the VM, inbound ones at the remote peer.
    origin: 'sensor',
    action: tuple.action,
  };
  if (observer !== undefined) flow.observer = observer;
  if (rule !== undefined) flow.actionReason = rule;
  return flow;
}
