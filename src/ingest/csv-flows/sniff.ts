import { headText } from '../json-records/index.js';
import { DEFAULT_CSV_FLOW_MAPPING } from './mapping.js';

/**
 * Whether the start of a file looks like CSV flows in the default mapping: a header line
 * whose comma-separated names include `src` and `dst` (any case). Files with other column
 * names need `--format csv-flows` and a `--map`.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isCsvFlows(head: Buffer): boolean {
  const text = headText(head);
  if (text === undefined) return false;
  const start = text.search(/\S/);
  if (start < 0) return false;
  const end = text.indexOf('\n', start);
  const header = (end < 0 ? text.slice(start) : text.slice(start, end)).trim().toLowerCase();
  const names = header.split(',').map((name) => name.trim().replace(/^"|"$/g, ''));
  return (
    names.includes(DEFAULT_CSV_FLOW_MAPPING.src) && names.includes(DEFAULT_CSV_FLOW_MAPPING.dst)
  );
}
