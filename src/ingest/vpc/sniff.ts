import { constants, gunzipSync } from 'node:zlib';
import { parseVpcHeader, VPC_DEFAULT_FIELDS } from './layout.js';
import { isGzip } from '../open-text.js';

const STATUSES = new Set(['OK', 'NODATA', 'SKIPDATA']);
const ACTIONS = new Set(['ACCEPT', 'REJECT', '-']);

/** Decompresses as much of a gzip head as is there; a truncated stream is expected. */
function textOf(head: Buffer): string | undefined {
  if (!isGzip(head)) return head.toString('utf8');
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  const start = text.search(/\S/);
  if (start < 0) return '';
  const end = text.indexOf('\n', start);
  return (end < 0 ? text.slice(start) : text.slice(start, end)).trimEnd();
}

function isDefaultRecord(line: string): boolean {
  const fields = line.split(/\s+/);
  if (fields.length !== VPC_DEFAULT_FIELDS.length || fields[0] !== '2') return false;
  return STATUSES.has(fields[13]!) && ACTIONS.has(fields[12]!);
}

/**
 * Whether the start of a file looks like an AWS VPC flow log: a header line of field names
 * with a source and a destination address field, or a version 2 default-format record.
 * A gzip head is decompressed as far as it goes.
 *
 * @param head The first bytes of the file (a few kilobytes are enough).
 */
export function isVpcFlowLog(head: Buffer): boolean {
  const text = textOf(head);
  if (text === undefined) return false;

  const line = firstLine(text);
  const header = parseVpcHeader(line);
  if (header === undefined) return isDefaultRecord(line);

  const hasSrc = header.includes('srcaddr') || header.includes('pkt-srcaddr');
  const hasDst = header.includes('dstaddr') || header.includes('pkt-dstaddr');
  return hasSrc && hasDst;
}
