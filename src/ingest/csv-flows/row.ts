import { protocolNumber, tryParseAddress } from '../../domain/index.js';
import type { Address, Flow } from '../../domain/index.js';
import { parseTime } from '../json-records/index.js';
import type { CsvFlowKey } from './mapping.js';

/** Where each mapped field sits in a row, with the header's column name for messages. */
export type CsvFlowColumns = Readonly<
  Partial<Record<CsvFlowKey, { readonly index: number; readonly name: string }>>
>;

function fieldError(column: string, value: string, expected: string): RangeError {
  return new RangeError(`column "${column}" is "${value}": expected ${expected}`);
}

function cell(
  cells: readonly string[],
  columns: CsvFlowColumns,
  key: CsvFlowKey,
): [string, string] | undefined {
  const column = columns[key];
  if (column === undefined) return undefined;
  const value = (cells[column.index] ?? '').trim();
  return value === '' ? undefined : [value, column.name];
}

function address(cells: readonly string[], columns: CsvFlowColumns, key: 'src' | 'dst'): Address {
  const found = cell(cells, columns, key);
  const parsed = found === undefined ? undefined : tryParseAddress(found[0]);
  if (parsed === undefined) {
    throw fieldError(columns[key]?.name ?? key, found?.[0] ?? '', 'an IPv4 or IPv6 address');
  }
  return parsed;
}

function count(
  cells: readonly string[],
  columns: CsvFlowColumns,
  key: CsvFlowKey,
  max: number,
): number {
  const found = cell(cells, columns, key);
  if (found === undefined) return 0;
  const [value, name] = found;
  if (!/^\d{1,16}$/.test(value) || Number(value) > max)
    throw fieldError(name, value, `a whole number from 0 to ${max}`);
  return Number(value);
}

function protocol(cells: readonly string[], columns: CsvFlowColumns): number {
  const found = cell(cells, columns, 'proto');
  if (found === undefined) return 0;
  const number = protocolNumber(found[0]);
  if (number === undefined)
    throw fieldError(
      found[1],
      found[0],
      'a protocol name (tcp, udp, icmp, icmpv6, sctp) or number from 0 to 255',
    );
  return number;
}

// Epoch values below 1e11 are seconds (until the year 5138), larger ones milliseconds.
const SECONDS_LIMIT = 1e11;

/** Milliseconds since the epoch of an RFC 3339 time or of epoch seconds or milliseconds. */
function time(
  cells: readonly string[],
  columns: CsvFlowColumns,
  key: 'start' | 'end',
): number | undefined {
  const found = cell(cells, columns, key);
  if (found === undefined) return undefined;
  const [value, name] = found;
  if (/^\d{1,16}(\.\d{1,9})?$/.test(value)) {
    const number = Number(value);
    return Math.floor(number < SECONDS_LIMIT ? number * 1000 : number);
  }
  const parsed = parseTime(value);
  if (parsed === undefined) {
    throw fieldError(
      name,
      value,
      'an RFC 3339 time like 2024-05-01T10:00:00Z, or epoch seconds or milliseconds',
    );
  }
  return parsed;
}

/**
 * Turns one CSV row into a one-way flow (origin `unknown`). Unmapped or empty ports,
 * protocol and counters read as 0; a missing start takes `fallbackTime`, a missing end
 * the start.
 *
 * @throws RangeError naming the column, its value and what was expected.
 */
export function parseCsvFlowRow(
  cells: readonly string[],
  columns: CsvFlowColumns,
  fallbackTime: number,
): Flow {
  const start = time(cells, columns, 'start') ?? fallbackTime;
  const end = time(cells, columns, 'end') ?? start;
  if (end < start) {
    throw fieldError(
      columns.end?.name ?? 'end',
      cell(cells, columns, 'end')?.[0] ?? '',
      'a time no earlier than start',
    );
  }
  return {
    src: address(cells, columns, 'src'),
    dst: address(cells, columns, 'dst'),
    srcPort: count(cells, columns, 'sport', 65_535),
    dstPort: count(cells, columns, 'dport', 65_535),
    protocol: protocol(cells, columns),
    start,
    end,
    packets: count(cells, columns, 'packets', Number.MAX_SAFE_INTEGER),
    bytes: count(cells, columns, 'bytes', Number.MAX_SAFE_INTEGER),
    packetsReverse: 0,
    bytesReverse: 0,
    origin: 'unknown',
  };
}
