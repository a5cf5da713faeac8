import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

import { isGzip } from './open-text.js';

async function readRaw(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readGunzipped(file: string, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(file).pipe(createGunzip());
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= size) break;
    }
  } catch {
    // A truncated or corrupt gzip stream still yields what decompressed before the fault;
    // the reader itself reports the fault with the file name.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, size);
}

/** The first bytes of a file, decompressed when it is gzip, for format sniffing. */
export async function readHead(file: string, size = 65_536): Promise<Buffer> {
  const raw = await readRaw(file, size);
  return isGzip(raw) ? readGunzipped(file, size) : raw;
}
