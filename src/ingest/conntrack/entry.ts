import { tryParseAddress } from '../../domain/index.js';
import type { Address, Flow } from '../../domain/index.js';

type MutableFlow = { -readonly [K in keyof Flow]: Flow[K] };

/** One direction of a conntrack entry as written: `src=`, `dst=`, ports or ICMP fields, counters. */
export type ConntrackTuple = Readonly<Record<string, string>>;

/** A conntrack entry before it becomes a flow: its protocol and its two tuples. */
export interface ConntrackEntry {
  readonly protocol: number;
  /** The original direction: as the initiator sent it. */
  readonly original: ConntrackTuple;
  /** The reply direction, when the entry lists one. */
  readonly reply: ConntrackTuple | undefined;
}

function fieldError(name: string, value: string | undefined, expected: string): RangeError {
  return new RangeError(
    `field "${name}" is ${value === undefined ? 'absent' : `"${value}"`}: expected ${expected}`,
  );
}

function addressOf(tuple: ConntrackTuple, key: string): Address {
  const value = tuple[key];
  const address = value === undefined ? undefined : tryParseAddress(value);
  if (address === undefined) throw fieldError(key, value, 'an IPv4 or IPv6 address');
  return address;
}

function numberOf(tuple: ConntrackTuple, key: string, max: number, where: string): number {
  const value = tuple[key];
  if (value === undefined) return 0;
  if (!/^\d{1,16}$/.test(value) || Number(value) > max) {
    throw fieldError(
      where === 'reply' ? `reply ${key}` : key,
      value,
      `a whole number from 0 to ${max}`,
    );
  }
  return Number(value);
}

/**
 * Turns a conntrack entry into a flow from its original direction: the initiator is the
 * source (origin `sensor`), the original tuple's counters are src → dst and the reply
 * tuple's the reverse (0 without `nf_conntrack_acct`). For ICMP the type is `dstPort` and
 * the code `srcPort`.
 *
 * @param time When the table was read, milliseconds since the epoch (conntrack -L gives no times).
 * @throws RangeError naming the field and its value.
 */
export function conntrackFlow(entry: ConntrackEntry, time: number): Flow {
  const { original, reply, protocol } = entry;
  const icmp = protocol === 1 || protocol === 58;
  const max = Number.MAX_SAFE_INTEGER;
  const flow: MutableFlow = {
    src: addressOf(original, 'src'),
    dst: addressOf(original, 'dst'),
    srcPort: icmp
      ? numberOf(original, 'code', 255, 'original')
      : numberOf(original, 'sport', 65_535, 'original'),
    dstPort: icmp
      ? numberOf(original, 'type', 255, 'original')
      : numberOf(original, 'dport', 65_535, 'original'),
    protocol,
    start: time,
    end: time,
    packets: numberOf(original, 'packets', max, 'original'),
    bytes: numberOf(original, 'bytes', max, 'original'),
    packetsReverse: reply ? numberOf(reply, 'packets', max, 'reply') : 0,
    bytesReverse: reply ? numberOf(reply, 'bytes', max, 'reply') : 0,
    // The kernel's original direction is the one the first packet took: the initiator's.
    origin: 'sensor',
  };
  if (reply !== undefined) {
    addressOf(reply, 'src');
    addressOf(reply, 'dst');
  }
  return flow;
}
