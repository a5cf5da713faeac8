import { InputError, isLabelKey } from '../../domain/index.js';

/** Where each inventory column sits in a row (0-based), -1 when the header lacks it. */
export interface InventoryColumns {
  readonly header: readonly string[];
  readonly name: number;
  readonly addresses: number;
  readonly hostnames: number;
  readonly os: number;
  /** Label key and column index, one per `label:KEY` column. */
  readonly labels: readonly (readonly [string, number])[];
}

const LABEL_PREFIX = 'label:';
const FIXED = ['name', 'addresses', 'hostnames', 'os'] as const;

/** The fixed column names, matched without regard to case or surrounding blanks. */
function fixedIndex(header: readonly string[], name: (typeof FIXED)[number]): number {
  return header.findIndex((cell) => cell.trim().toLowerCase() === name);
}

function labelColumns(header: readonly string[], file: string): [string, number][] {
  const labels: [string, number][] = [];
  header.forEach((cell, index) => {
    const text = cell.trim();
    if (!text.toLowerCase().startsWith(LABEL_PREFIX)) return;

    const key = text.slice(LABEL_PREFIX.length);
    if (!isLabelKey(key)) {
      const message = `Cannot read inventory header: column ${index + 1} "${text}" has label key "${key}", which must start with a lower-case letter and hold only a-z, 0-9, _ . / -`;
      throw new InputError(message, { file, line: 1, column: index + 1 });
    }
    if (labels.some(([seen]) => seen === key)) {
      const message = `Cannot read inventory header: label key "${key}" has two columns; keep one`;
      throw new InputError(message, { file, line: 1, column: index + 1 });
    }
    labels.push([key, index]);
  });
  return labels;
}

/**
 * Finds the inventory columns in a header row. Columns other than name, addresses,
 * hostnames, os and `label:KEY` are ignored.
 *
 * @throws InputError naming the file and the columns found when `name` or `addresses` is
 *   missing, a fixed column repeats, or a label key is not valid.
 */
export function findInventoryColumns(header: readonly string[], file: string): InventoryColumns {
  for (const name of FIXED) {
    const count = header.filter((cell) => cell.trim().toLowerCase() === name).length;
    if (count > 1) {
      const message = `Cannot read inventory header: column "${name}" appears ${count} times; keep one`;
      throw new InputError(message, { file, line: 1 });
    }
  }

  const columns: InventoryColumns = {
    header,
    name: fixedIndex(header, 'name'),
    addresses: fixedIndex(header, 'addresses'),
    hostnames: fixedIndex(header, 'hostnames'),
    os: fixedIndex(header, 'os'),
    labels: labelColumns(header, file),
  };
  if (columns.name < 0 || columns.addresses < 0) {
    const found = header.map((cell) => `"${cell.trim()}"`).join(', ');
    const message = `Cannot read inventory "${file}": the header needs a "name" and an "addresses" column; found ${found}`;
    throw new InputError(message, { file, line: 1 });
  }
  return columns;
}
