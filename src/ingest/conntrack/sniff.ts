import { headText } from '../json-records/index.js';

const TEXT_LINE =
  /^(?:\[\d+\.\d+\]\s+)?(?:\[[A-Z]+\]\s+)?(?:ipv[46]\s+\d+\s+)?[a-z0-9-]+\s+\d{1,3}\s+\d+\s.*\bsrc=\S+\s+dst=\S+/;

/**
 * Whether the start of a file looks like `conntrack -L` output: a text entry line
 * (`ipv4 2 tcp 6 … src=… dst=…`), or XML whose root is `<conntrack>`. A gzip head is
 * decompressed as far as it goes.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isConntrack(head: Buffer): boolean {
  const text = headText(head);
  if (text === undefined) return false;
  const start = text.search(/\S/);
  if (start < 0) return false;
  const rest = text.slice(start);
  if (rest.startsWith('<')) return /<conntrack>\s*<flow/.test(rest.slice(0, 4096));
  const end = rest.indexOf('\n');
  return TEXT_LINE.test(end < 0 ? rest : rest.slice(0, end));
}
