import { addressFamily, parseAddress, type Address, type Flow } from '../../domain/index.js';
import type { ZeekHeader } from './header.js';

/** The columns a conn.log must have for its rows to become flows. */
export const REQUIRED_COLUMNS = ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'];

/** A row that is deliberately not a flow, with the reason it is counted under. */
export interface SkippedRow {
  readonly skip: string;
}

/** Column positions of one `#fields` header, looked up once per header. */
export interface ZeekColumns {
  readonly count: number;
  readonly index: ReadonlyMap<string, number>;
}

/** Indexes the columns of a `#fields` header. */
export function createZeekColumns(header: ZeekHeader): ZeekColumns {
  return { count: header.fields.length, index: new Map(header.fields.map((name, i) => [name, i])) };
}

/**
 * Parses one conn.log row into a flow (origin `sensor`: Zeek decided who opened it).
 *
 * ICMP rows carry the type in `id.orig_p` and, in `id.resp_p`, the type of the answer
 * for request/answer pairs (8 → 0, 128 → 129, …) or else the code; the flow keeps the
 * type as `dstPort` and the code (0 when Zeek logged the answer type) as `srcPort`.
 *
 * @throws RangeError naming the column and the value when a cell is not what its column holds.
 */
export function parseZeekConnRow(
  cells: readonly string[],
  header: ZeekHeader,
  columns: ZeekColumns,
): Flow | SkippedRow {
  const text = (name: string): string | undefined => {
    const at = columns.index.get(name);
    const value = at === undefined ? undefined : cells[at];
    return value === header.unsetField || value === header.emptyField ? undefined : value;
  };

  const src = parseAddressCell('id.orig_h', text('id.orig_h'));
  const dst = parseAddressCell('id.resp_h', text('id.resp_h'));
  const protocol = parseProtocol(text('proto'), text('ip_proto'), src);
  if (typeof protocol === 'object') return protocol;

  const origPort = parseCount('id.orig_p', text('id.orig_p'), 65535);
  const respPort = parseCount('id.resp_p', text('id.resp_p'), 65535);
  const isIcmp = protocol === 1 || protocol === 58;
  // Test harnesses mask timestamps (`XXXXXXXXXX.XXXXXX`); the connection is still real, so
  // it is kept at time 0 and the reader notes it, rather than rejected.
  const ts = text('ts');
  const start = ts !== undefined && isMaskedTime(ts) ? 0 : parseSeconds('ts', ts) * 1000;
  const duration = text('duration');

  return {
    src,
    dst,
    srcPort: isIcmp ? icmpCode(protocol, origPort, respPort) : origPort,
    dstPort: isIcmp ? origPort : respPort,
    protocol,
    start,
    end:
      duration === undefined || isMaskedTime(duration)
        ? start
        : start + parseSeconds('duration', duration) * 1000,
    packets: parseCount('orig_pkts', text('orig_pkts')),
    bytes: parseCount('orig_ip_bytes', text('orig_ip_bytes')),
    packetsReverse: parseCount('resp_pkts', text('resp_pkts')),
    bytesReverse: parseCount('resp_ip_bytes', text('resp_ip_bytes')),
    origin: 'sensor',
  };
}

function parseAddressCell(column: string, value: string | undefined): Address {
  if (value === undefined)
    throw new RangeError(`column ${column} is unset; it must hold an address`);
  try {
    return parseAddress(value);
  } catch {
    throw new RangeError(`column ${column} holds "${value}", which is not an IP address`);
  }
}

function parseProtocol(
  proto: string | undefined,
  ipProto: string | undefined,
  src: Address,
): number | SkippedRow {
  switch (proto ?? '-') {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return addressFamily(src) === 6 ? 58 : 1;
    case 'sctp':
      return 132;
    case 'unknown_transport':
      if (ipProto === undefined) return { skip: 'unknown_transport without ip_proto' };
      return parseCount('ip_proto', ipProto, 255);
    default:
      throw new RangeError(
        `column proto holds "${proto ?? '-'}"; expected tcp, udp, icmp or unknown_transport`,
      );
  }
}

// Zeek's request/answer ICMP pairs: the answer type stands where the code would.
const ICMP_ANSWERS = new Map([
  [
    1,
    new Map([
      [8, 0],
      [0, 8],
      [13, 14],
      [14, 13],
      [15, 16],
      [16, 15],
      [17, 18],
      [18, 17],
      [10, 9],
      [9, 10],
    ]),
  ],
  [
    58,
    new Map([
      [128, 129],
      [129, 128],
      [133, 134],
      [134, 133],
      [135, 136],
      [136, 135],
      [130, 131],
      [131, 130],
    ]),
  ],
]);

function icmpCode(protocol: number, type: number, respPort: number): number {
  return ICMP_ANSWERS.get(protocol)?.get(type) === respPort ? 0 : respPort;
}

function parseCount(
  column: string,
  value: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return 0;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number <= max)) {
    throw new RangeError(
      `column ${column} holds "${value}"; expected a whole number from 0 to ${max}`,
    );
  }
  return number;
}

/** Whether a timestamp cell is masked, as test tooling writes it (`XXXXXXXXXX.XXXXXX`). */
export function isMaskedTime(value: string): boolean {
  return /^X+(\.X+)?$/.test(value);
}

function parseSeconds(column: string, value: string | undefined): number {
  const number = value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(number)) {
    throw new RangeError(
      `column ${column} holds "${value ?? '-'}"; expected seconds such as 1700000000.123456`,
    );
  }
  return number;
}
