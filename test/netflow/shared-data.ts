import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared NetFlow/IPFIX sample folder beside the checkout (see its SOURCE.md). */
export const PACKETS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'data',
  'netflow-ipfix-packets',
);

/** Whether the shared samples are present (absent on a user's fresh clone). */
export const HAS_PACKETS = existsSync(join(PACKETS_DIR, 'MANIFEST.tsv'));

/** One upstream test context: its name and its payload files in decode order. */
export interface PacketContext {
  readonly name: string;
  readonly files: readonly string[];
}

/** The contexts of MANIFEST.tsv, in file order. */
export function readManifest(): PacketContext[] {
  const lines = readFileSync(join(PACKETS_DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [name = '', files = ''] = line.split('\t');
    return { name, files: files.split(' ').filter((f) => f !== '') };
  });
}

/** The bytes of one payload file. */
export function readPayload(file: string): Uint8Array {
  return readFileSync(join(PACKETS_DIR, 'dat', file));
}
