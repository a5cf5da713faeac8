/** The flow fields a CSV column can fill. */
export const CSV_FLOW_KEYS = [
  'src',
  'dst',
  'sport',
  'dport',
  'proto',
  'start',
  'end',
  'packets',
  'bytes',
] as const;

/** One flow field a CSV column can fill. */
export type CsvFlowKey = (typeof CSV_FLOW_KEYS)[number];

/** Which column (by header name) fills each flow field; `src` and `dst` are required. */
export type CsvFlowMapping = Readonly<Partial<Record<CsvFlowKey, string>>> & {
  readonly src: string;
  readonly dst: string;
};

/** The mapping used when none is given: each field from the column of the same name. */
export const DEFAULT_CSV_FLOW_MAPPING: CsvFlowMapping = {
  src: 'src',
  dst: 'dst',
  sport: 'sport',
  dport: 'dport',
  proto: 'proto',
  start: 'start',
  end: 'end',
  packets: 'packets',
  bytes: 'bytes',
};

const KEYS: ReadonlySet<string> = new Set(CSV_FLOW_KEYS);
const ALLOWED = CSV_FLOW_KEYS.join(', ');

/**
 * Parses a `--map` option, `src=srcip,dst=dstip,dport=port,…`: flow field, `=`, the CSV
 * column's header name. Fields left out are not read (ports, protocol and counters read
 * as 0, times fall back as `readCsvFlows` says).
 *
 * @returns The mapping, or an error that names the bad entry and the allowed keys.
 * @example
 * parseCsvFlowMapping('src=srcip,dst=dstip,dport=port');
 * // → { mapping: { src: 'srcip', dst: 'dstip', dport: 'port' } }
 */
export function parseCsvFlowMapping(text: string): { mapping: CsvFlowMapping } | { error: string } {
  const fail = (why: string): { error: string } => ({
    error: `Cannot parse --map "${text}": ${why}`,
  });
  const out: Partial<Record<CsvFlowKey, string>> = {};
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '')
      return fail(`an entry is empty; write key=column pairs separated by commas, keys ${ALLOWED}`);
    const eq = entry.indexOf('=');
    if (eq < 0) return fail(`entry "${entry}" has no "="; write key=column, for example src=srcip`);
    const key = entry.slice(0, eq).trim();
    const column = entry.slice(eq + 1).trim();
    if (!KEYS.has(key)) return fail(`key "${key}" is not known; allowed keys are ${ALLOWED}`);
    if (column === '') return fail(`key "${key}" names no column; write ${key}=<column header>`);
    if (out[key as CsvFlowKey] !== undefined)
      return fail(`key "${key}" is given twice; give each key once`);
    out[key as CsvFlowKey] = column;
  }
  const { src, dst } = out;
  if (src === undefined || dst === undefined) {
    const missing = src === undefined ? 'src' : 'dst';
    return fail(
      `key "${missing}" is missing; src and dst are required, the other keys (${ALLOWED}) are optional`,
    );
  }
  return { mapping: { ...out, src, dst } };
}
