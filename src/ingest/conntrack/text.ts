import type { ConntrackEntry } from './entry.js';

/** What one line of `conntrack -L` text holds. */
export type ConntrackLine =
  { readonly entry: ConntrackEntry; readonly event?: string } | { readonly skip: string };

const FAMILIES = new Set(['ipv4', 'ipv6']);

/**
 * Parses one line of `conntrack -L` output, `-o extended` (`ipv4 2 tcp 6 431999
 * ESTABLISHED src=… dst=… sport=… dport=… packets=… bytes=… src=… … [ASSURED] mark=0 use=1`)
 * or plain (without the family columns). The first `src=` opens the original tuple and the
 * second the reply tuple; bracketed flags, the state and other keys (`mark`, `use`,
 * `zone`) are not needed for a flow. Event lines (`conntrack -E`) start with `[NEW]`,
 * `[UPDATE]` or `[DESTROY]`; only DESTROY, which carries the final counters, is taken.
 * The tool's closing summary line is skipped.
 *
 * @throws RangeError naming the token and what was expected.
 */
export function parseConntrackLine(line: string): ConntrackLine {
  if (line.trimStart().startsWith('conntrack v')) return { skip: 'summary' };
  let tokens = line.trim().split(/\s+/);
  if (/^\[\d+\.\d+\]$/.test(tokens[0]!)) tokens = tokens.slice(1);
  let event: string | undefined;
  if (/^\[[A-Z]+\]$/.test(tokens[0] ?? '')) {
    event = tokens[0]!.slice(1, -1);
    if (event !== 'DESTROY') return { skip: `event ${event}` };
    tokens = tokens.slice(1);
  }
  if (FAMILIES.has(tokens[0] ?? '')) tokens = tokens.slice(2);

  const [name, number] = tokens;
  if (
    name === undefined ||
    number === undefined ||
    !/^[a-z0-9-]+$/i.test(name) ||
    !/^\d{1,3}$/.test(number) ||
    Number(number) > 255
  ) {
    throw new RangeError(
      `line starts "${tokens.slice(0, 2).join(' ')}": expected a protocol name and number like "tcp 6", after "ipv4 2" with -o extended`,
    );
  }

  const tuples: Record<string, string>[] = [];
  for (const token of tokens.slice(2)) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    if (key === 'src') tuples.push({});
    const current = tuples.at(-1);
    if (current === undefined) continue;
    // The reply tuple ends where per-entry keys (mark=, use=, zone=) begin.
    if (tuples.length === 2 && !TUPLE_KEYS.has(key)) continue;
    current[key] = token.slice(eq + 1);
  }
  if (tuples.length === 0 || tuples.length > 2) {
    throw new RangeError(
      `line has ${tuples.length} src= fields: expected the original tuple and optionally the reply tuple`,
    );
  }
  const entry: ConntrackEntry = {
    protocol: Number(number),
    original: tuples[0]!,
    reply: tuples[1],
  };
  return event === undefined ? { entry } : { entry, event };
}

const TUPLE_KEYS = new Set([
  'src',
  'dst',
  'sport',
  'dport',
  'packets',
  'bytes',
  'type',
  'code',
  'id',
]);
