import { constants, gunzipSync } from 'node:zlib';

/**
 * Whether the first bytes of a file look like a Zeek conn.log in ASCII form (also
 * gzip-compressed): a `#separator` directive, and a `#path conn` line or a `#fields`
 * line naming `id.orig_h`.
 *
 * @param head The first bytes of the file; a few hundred are enough.
 */
export function isZeekConnLog(head: Buffer): boolean {
  const text = decompressHead(head).toString('latin1');
  if (!/^#separator /m.test(text)) return false;
  return /^#path\s+conn\s*$/m.test(text) || /^#fields\s.*\bid\.orig_h\b/m.test(text);
}

function decompressHead(head: Buffer): Buffer {
  if (head[0] !== 0x1f || head[1] !== 0x8b) return head;
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}
