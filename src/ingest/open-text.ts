import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The first two bytes of every gzip member (RFC 1952, section 2.3.1). */
export const GZIP_MAGIC: readonly [number, number] = [0x1f, 0x8b];

/** Whether a buffer starts with the gzip magic bytes. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * Opens a file as a byte stream, decompressed when it starts with the gzip magic (whatever
 * its name). Errors of the file and of the decompressor surface on the returned stream.
 *
 * @throws The file system's error when the file cannot be opened.
 */
export async function openText(file: string): Promise<Readable> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } catch (err) {
    await handle.close();
    throw err;
  }

  const stream = handle.createReadStream({ start: 0 });
  if (!isGzip(head)) return stream;

  // pipeline() forwards a read error to the gunzip stream, which the caller iterates.
  return pipeline(stream, createGunzip(), () => undefined);
}
