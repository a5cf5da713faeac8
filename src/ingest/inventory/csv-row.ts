import { isLabelValue, parseAddress } from '../../domain/index.js';
import type { Address, Workload } from '../../domain/index.js';
import type { InventoryColumns } from './csv-columns.js';

type MutableWorkload = { -readonly [K in keyof Workload]: Workload[K] };

/** Addresses and hostnames in one cell are separated by blanks, `;` or `|`. */
const LIST_SEPARATOR = /[\s;|]+/;
const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/;
const BLANK = /\s/;

function cellProblem(
  columns: InventoryColumns,
  index: number,
  value: string,
  why: string,
): RangeError {
  const name = columns.header[index]?.trim() ?? '';
  return new RangeError(`column ${index + 1} "${name}" is "${value}": ${why}`);
}

function listAt(cells: readonly string[], index: number): string[] {
  if (index < 0) return [];
  return (cells[index] ?? '').split(LIST_SEPARATOR).filter((item) => item.length > 0);
}

function addressesOf(cells: readonly string[], columns: InventoryColumns): Address[] {
  const items = listAt(cells, columns.addresses);
  if (items.length === 0) {
    throw cellProblem(
      columns,
      columns.addresses,
      '',
      'list one or more addresses, separated by blanks, ; or |',
    );
  }

  const addresses = new Set<Address>();
  for (const item of items) {
    try {
      addresses.add(parseAddress(item));
    } catch {
      throw cellProblem(
        columns,
        columns.addresses,
        item,
        'not an IP address; write a dotted quad like 198.18.0.1 or an IPv6 address like 2001:db8::1',
      );
    }
  }
  return [...addresses];
}

function hostnamesOf(cells: readonly string[], columns: InventoryColumns): string[] {
  const items = listAt(cells, columns.hostnames);
  const bad = items.find((item) => !HOSTNAME.test(item));
  if (bad !== undefined) {
    throw cellProblem(
      columns,
      columns.hostnames,
      bad,
      'not a host name; use letters, digits, - _ and dots',
    );
  }
  return items;
}

function labelsOf(cells: readonly string[], columns: InventoryColumns): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, index] of columns.labels) {
    const value = (cells[index] ?? '').trim();
    if (value.length === 0) continue;
    if (!isLabelValue(value)) {
      throw cellProblem(
        columns,
        index,
        value,
        'a label value must start with a letter or digit and hold only letters, digits, _ . / : -',
      );
    }
    labels[key] = value;
  }
  return labels;
}

/**
 * Turns one inventory row into a workload. The caller checks that names are unique.
 *
 * @throws RangeError naming the column, its number and the value, and how to fix it.
 */
export function parseInventoryRow(cells: readonly string[], columns: InventoryColumns): Workload {
  if (cells.length !== columns.header.length) {
    throw new RangeError(
      `row has ${cells.length} cells, the header has ${columns.header.length}: quote cells that hold commas`,
    );
  }

  const name = (cells[columns.name] ?? '').trim();
  if (name.length === 0 || BLANK.test(name)) {
    throw cellProblem(
      columns,
      columns.name,
      name,
      'give each workload a name without blanks, for example web-1',
    );
  }

  const workload: MutableWorkload = {
    name,
    addresses: addressesOf(cells, columns),
    labels: labelsOf(cells, columns),
    discovered: false,
  };
  const hostnames = hostnamesOf(cells, columns);
  if (hostnames.length > 0) workload.hostnames = hostnames;
  const os = columns.os < 0 ? '' : (cells[columns.os] ?? '').trim();
  if (os.length > 0) workload.os = os;
  return workload;
}
