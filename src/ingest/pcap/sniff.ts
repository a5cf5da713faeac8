import { constants, gunzipSync } from 'node:zlib';
import { isClassicMagic } from './classic.js';
import { isPcapngMagic } from './pcapng.js';

/** Whether bytes start with the gzip magic number 1f 8b. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Decompresses the start of a gzip stream as far as the bytes given reach, or returns
 * undefined when they are not gzip or are corrupt.
 */
export function gunzipHead(head: Uint8Array): Buffer | undefined {
  if (!isGzip(head)) return undefined;
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/** The capture format the first bytes announce, or undefined when they announce none. */
export function sniffCaptureFormat(head: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (isClassicMagic(head)) return 'pcap';
  if (isPcapngMagic(head)) return 'pcapng';
  return undefined;
}

/**
 * Whether the first bytes of a file are a capture readPcap reads: classic pcap
 * (micro- or nanosecond magic, either byte order) or a pcapng section header block,
 * also behind gzip compression.
 *
 * @param head The first bytes of the file; 12 or more for pcapng, a few hundred for gzip.
 */
export function isPcap(head: Buffer): boolean {
  const plain = gunzipHead(head) ?? head;
  return sniffCaptureFormat(plain) !== undefined;
}
