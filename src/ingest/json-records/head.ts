import { constants, gunzipSync } from 'node:zlib';
import { isGzip } from '../open-text.js';

/**
 * The text of a file's first bytes for a sniffer: decompressed as far as it goes when it
 * is gzip (a head is a truncated stream), undefined when it does not decompress.
 */
export function headText(head: Buffer): string | undefined {
  if (!isGzip(head)) return head.toString('utf8');
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Whether the text, past blanks, starts with a JSON object or array. */
export function startsLikeJson(text: string): boolean {
  const first = text.search(/\S/);
  if (first < 0) return false;
  const code = text.charCodeAt(first);
  return code === 123 || code === 91;
}
