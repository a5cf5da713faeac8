import { parseAddress } from '../../domain/index.js';
import type { Address, Flow, FlowAction, FlowOrigin } from '../../domain/index.js';
import type { VpcLayout } from './layout.js';

type MutableFlow = { -readonly [K in keyof Flow]: Flow[K] };

/** The value VPC flow logs write for a field that has no value in a record. */
const UNSET = '-';

const MAX_PORT = 65_535;
const MAX_PROTOCOL = 255;
const MAX_FLAGS = 255;

// TCP flag bits as the tcp-flags field reports them (RFC 9293 header order).
const FIN = 1;
const SYN = 2;
const RST = 4;
const ACK = 16;

/**
 * Addresses repeat a great deal in flow logs; parsing each one through ipaddr.js costs more
 * than the rest of a record. The cache is cleared when full, so memory stays bounded.
 */
const ADDRESS_CACHE_LIMIT = 8192;
const addressCache = new Map<string, Address>();

function fieldError(name: string, value: string, expected: string): RangeError {
  return new RangeError(`field "${name}" is "${value}": expected ${expected}`);
}

/** Digits only, at most 16 of them; -1 for anything else or a value above max. */
function parseUnsigned(text: string, max: number): number {
  const length = text.length;
  if (length === 0 || length > 16) return -1;

  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= max ? value : -1;
}

/** A numeric field; absent from the layout or unset (`-`) reads as 0. */
function numberAt(fields: readonly string[], index: number, name: string, max: number): number {
  if (index < 0) return 0;
  const text = fields[index]!;
  if (text === UNSET) return 0;

  const value = parseUnsigned(text, max);
  if (value < 0) throw fieldError(name, text, `a number from 0 to ${max}`);
  return value;
}

function addressOf(text: string, name: string): Address {
  const cached = addressCache.get(text);
  if (cached !== undefined) return cached;

  let address: Address;
  try {
    address = parseAddress(text);
  } catch {
    throw fieldError(name, text, 'an IPv4 or IPv6 address');
  }
  if (addressCache.size >= ADDRESS_CACHE_LIMIT) addressCache.clear();
  addressCache.set(text, address);
  return address;
}

/** The packet-level address when the layout has it and it is set, else the interface's. */
function endpointAt(fields: readonly string[], pkt: number, plain: number, name: string): Address {
  if (pkt >= 0 && fields[pkt] !== UNSET) return addressOf(fields[pkt]!, `pkt-${name}`);
  if (plain < 0) throw fieldError(`pkt-${name}`, UNSET, 'an IPv4 or IPv6 address');
  return addressOf(fields[plain]!, name);
}

function actionAt(fields: readonly string[], index: number): FlowAction | undefined {
  if (index < 0) return undefined;
  const text = fields[index]!;
  if (text === 'ACCEPT') return 'accept';
  if (text === 'REJECT') return 'reject';
  if (text === UNSET) return undefined;
  throw fieldError('action', text, 'ACCEPT, REJECT or -');
}

function checkStatus(fields: readonly string[], index: number): void {
  if (index < 0) return;
  const text = fields[index]!;
  if (text === 'OK' || text === UNSET) return;
  throw fieldError('log-status', text, 'OK, NODATA, SKIPDATA or -');
}

/** A SYN without ACK, FIN or RST: the record holds the connection's opening packet. */
function originOf(protocol: number, flags: number | undefined): FlowOrigin {
  if (protocol !== 6 || flags === undefined) return 'unknown';
  return (flags & SYN) !== 0 && (flags & (ACK | FIN | RST)) === 0 ? 'handshake' : 'unknown';
}

/**
 * Turns the fields of one VPC flow log record (log-status OK or absent) into a flow.
 *
 * Fields the layout lacks or that are unset (`-`) read as 0; action and tcp-flags are then
 * left out of the flow.
 *
 * @throws RangeError naming the field, its value and what was expected.
 */
export function parseVpcRecord(fields: readonly string[], layout: VpcLayout): Flow {
  checkStatus(fields, layout.logStatus);
  const src = endpointAt(fields, layout.pktSrcaddr, layout.srcaddr, 'srcaddr');
  const dst = endpointAt(fields, layout.pktDstaddr, layout.dstaddr, 'dstaddr');

  const protocol = numberAt(fields, layout.protocol, 'protocol', MAX_PROTOCOL);
  const srcPort = numberAt(fields, layout.srcport, 'srcport', MAX_PORT);
  const dstPort = numberAt(fields, layout.dstport, 'dstport', MAX_PORT);
  const start = numberAt(fields, layout.start, 'start', Number.MAX_SAFE_INTEGER / 1000);
  const end = numberAt(fields, layout.end, 'end', Number.MAX_SAFE_INTEGER / 1000);
  if (end < start) {
    throw fieldError('end', fields[layout.end]!, `a time no earlier than start (${start})`);
  }

  const hasFlags = layout.tcpFlags >= 0 && fields[layout.tcpFlags] !== UNSET;
  const flags = hasFlags ? numberAt(fields, layout.tcpFlags, 'tcp-flags', MAX_FLAGS) : undefined;
  const action = actionAt(fields, layout.action);

  const flow: MutableFlow = {
    src,
    dst,
    srcPort,
    dstPort,
    protocol,
    start: start * 1000,
    end: end * 1000,
    packets: numberAt(fields, layout.packets, 'packets', Number.MAX_SAFE_INTEGER),
    bytes: numberAt(fields, layout.bytes, 'bytes', Number.MAX_SAFE_INTEGER),
    packetsReverse: 0,
    bytesReverse: 0,
    origin: originOf(protocol, flags),
  };
  if (flags !== undefined) flow.tcpFlags = flags;
  if (action !== undefined) flow.action = action;
  return flow;
}
