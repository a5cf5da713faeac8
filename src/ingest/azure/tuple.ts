import { tryParseAddress } from '../../domain/index.js';
import type { Address, FlowAction } from '../../domain/index.js';

/** Azure's flow state: B begin, C continuing, E end; VNet flow logs add D for denied. */
export type AzureFlowState = 'B' | 'C' | 'E' | 'D';

/** One flow tuple of an NSG (v1, v2) or VNet (v4) flow log, parsed. */
export interface AzureTuple {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly src: Address;
  readonly dst: Address;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly protocol: number;
  readonly state: AzureFlowState;
  readonly action: FlowAction;
  readonly packets: number;
  readonly bytes: number;
  readonly packetsReverse: number;
  readonly bytesReverse: number;
}

/** Which tuple layout a record uses. */
export type AzureTupleLayout = 'nsg-v1' | 'nsg-v2' | 'vnet-v4';

// Field counts of each layout (Azure Network Watcher documentation): NSG v1 has 8 fields,
// NSG v2 adds flow state and four counters (13), VNet v4 has 13 with encryption instead of
// the allow/deny field.
const FIELD_COUNT: Readonly<Record<AzureTupleLayout, number>> = {
  'nsg-v1': 8,
  'nsg-v2': 13,
  'vnet-v4': 13,
};

const NSG_FIELDS = [
  'time',
  'src',
  'dst',
  'sport',
  'dport',
  'protocol',
  'direction',
  'decision',
  'state',
  'packets_s2d',
  'bytes_s2d',
  'packets_d2s',
  'bytes_d2s',
];
const VNET_FIELDS = [
  'time',
  'src',
  'dst',
  'sport',
  'dport',
  'protocol',
  'direction',
  'state',
  'encryption',
  'packets_s2d',
  'bytes_s2d',
  'packets_d2s',
  'bytes_d2s',
];

function fieldError(name: string, value: string, expected: string): RangeError {
  return new RangeError(`tuple field "${name}" is "${value}": expected ${expected}`);
}

function unsigned(fields: readonly string[], index: number, name: string, max: number): number {
  const text = fields[index]!;
  if (!/^\d{1,16}$/.test(text) || Number(text) > max) {
    throw fieldError(name, text, `a whole number from 0 to ${max}`);
  }
  return Number(text);
}

/** A counter; NSG v2 leaves all four empty on B (begin) tuples, which reads as 0. */
function counter(fields: readonly string[], index: number, name: string): number {
  if (index >= fields.length || fields[index] === '') return 0;
  return unsigned(fields, index, name, Number.MAX_SAFE_INTEGER);
}

function address(text: string, name: string): Address {
  const parsed = tryParseAddress(text);
  if (parsed === undefined) throw fieldError(name, text, 'an IPv4 or IPv6 address');
  return parsed;
}

function nsgProtocol(text: string): number {
  if (text === 'T') return 6;
  if (text === 'U') return 17;
  throw fieldError('protocol', text, 'T (TCP) or U (UDP)');
}

function oneOf<T extends string>(text: string, name: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw fieldError(name, text, allowed.join(', '));
}

/**
 * Parses one flow tuple, `ts,src,dst,sport,dport,proto,…` in the layout of its record.
 *
 * @throws RangeError naming the tuple field, its value and what was expected.
 */
export function parseAzureTuple(text: string, layout: AzureTupleLayout): AzureTuple {
  const fields = text.split(',');
  const want = FIELD_COUNT[layout];
  if (fields.length !== want) {
    throw new RangeError(
      `tuple has ${fields.length} comma-separated fields, the ${layout} layout has ${want} (${(layout === 'vnet-v4' ? VNET_FIELDS : NSG_FIELDS).slice(0, want).join(',')})`,
    );
  }

  const vnet = layout === 'vnet-v4';
  const time = unsigned(fields, 0, 'time', vnet ? 8.64e15 : 8.64e12);
  const src = address(fields[1]!, 'src');
  const dst = address(fields[2]!, 'dst');
  const srcPort = unsigned(fields, 3, 'sport', 65_535);
  const dstPort = unsigned(fields, 4, 'dport', 65_535);
  const protocol = vnet ? unsigned(fields, 5, 'protocol', 255) : nsgProtocol(fields[5]!);
  oneOf(fields[6]!, 'direction', ['I', 'O']);

  let state: AzureFlowState;
  let action: FlowAction;
  if (vnet) {
    state = oneOf(fields[7]!, 'state', ['B', 'C', 'E', 'D']);
    action = state === 'D' ? 'reject' : 'accept';
  } else {
    action = oneOf(fields[7]!, 'decision', ['A', 'D']) === 'D' ? 'reject' : 'accept';
    state = layout === 'nsg-v1' ? 'B' : oneOf(fields[8]!, 'state', ['B', 'C', 'E']);
  }

  const names = vnet ? VNET_FIELDS : NSG_FIELDS;
  return {
    time: vnet ? time : time * 1000,
    src,
    dst,
    srcPort,
    dstPort,
    protocol,
    state,
    action,
    packets: counter(fields, 9, names[9]!),
    bytes: counter(fields, 10, names[10]!),
    packetsReverse: counter(fields, 11, names[11]!),
    bytesReverse: counter(fields, 12, names[12]!),
  };
}
