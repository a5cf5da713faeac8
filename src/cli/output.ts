import { stringify } from 'yaml';

import { InputError } from '../domain/index.js';

/** How read commands print: a table for people, JSON and YAML for scripts. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Parses `--output`, allowing the extra formats a command supports. */
export function parseOutput<T extends string>(
  value: string,
  extra: readonly T[] = [],
): OutputFormat | T {
  const allowed: readonly string[] = ['table', 'json', 'yaml', ...extra];
  if (!allowed.includes(value)) {
    throw new InputError(`Cannot use --output "${value}": choose one of ${allowed.join(', ')}`);
  }
  return value as OutputFormat | T;
}

/** Prints data as JSON or YAML; returns false for table output, which the caller prints. */
export function printData(format: string, data: unknown): boolean {
  if (format === 'json') {
    process.stdout.write(JSON.stringify(data, null, 2) + '\n');
    return true;
  }
  if (format === 'yaml') {
    process.stdout.write(stringify(data));
    return true;
  }
  return false;
}

/** Formats rows as aligned columns under a header. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** An ISO time without milliseconds, for tables. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A byte count in B, kB, MB or GB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
