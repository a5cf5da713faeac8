import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One flow record as tshark's cflow dissector shows it; fields it did not show are absent. */
export interface TsharkRecord {
  readonly src?: string;
  readonly dst?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly protocol?: number;
  readonly packets?: number;
  readonly bytes?: number;
}

/** Whether a program runs (`NAME -v` exits 0). */
export function hasProgram(name: string): boolean {
  const run = spawnSync(name, ['-v'], { encoding: 'utf8' });
  return run.status === 0;
}

/** Hex dump of payloads in the `od -Ax -tx1` layout text2pcap reads; offset 0 starts a packet. */
function hexDump(payloads: readonly Uint8Array[]): string {
  const lines: string[] = [];
  for (const payload of payloads) {
    for (let at = 0; at < payload.length; at += 16) {
      const row = [...payload.subarray(at, at + 16)].map((b) => b.toString(16).padStart(2, '0'));
      lines.push(`${at.toString(16).padStart(6, '0')} ${row.join(' ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

function number(value: unknown): number | undefined {
  return typeof value === 'string' && value !== '' ? Number(value) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Walks tshark's JSON tree in document order, collecting subtrees that look like flow records. */
function collectRecords(node: unknown, out: TsharkRecord[]): void {
  if (node === null || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  if ('cflow.srcaddr' in object || 'cflow.srcaddrv6' in object) {
    out.push({
      ...maybe('src', text(object['cflow.srcaddr'] ?? object['cflow.srcaddrv6'])),
      ...maybe('dst', text(object['cflow.dstaddr'] ?? object['cflow.dstaddrv6'])),
      ...maybe('srcPort', number(object['cflow.srcport'])),
      ...maybe('dstPort', number(object['cflow.dstport'])),
      ...maybe('protocol', number(object['cflow.protocol'])),
      ...maybe('packets', number(object['cflow.packets'])),
      ...maybe('bytes', number(object['cflow.octets'])),
    });
    return;
  }
  for (const value of Object.values(object)) collectRecords(value, out);
}

function maybe<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Writes payloads as UDP packets into a pcap (or pcapng) file with `text2pcap -u`. */
export function wrapPayloadsForTest(
  payloads: readonly Uint8Array[],
  file: string,
  options: { pcapng?: boolean; sport?: number; dport?: number } = {},
): void {
  const dump = `${file}.txt`;
  writeFileSync(dump, hexDump(payloads));
  const args = [
    ...(options.pcapng ? ['-n'] : []),
    '-q',
    '-u',
    `${options.sport ?? 40000},${options.dport ?? 2055}`,
    dump,
    file,
  ];
  const wrap = spawnSync('text2pcap', args, { encoding: 'utf8' });
  rmSync(dump, { force: true });
  if (wrap.status !== 0) throw new Error(`text2pcap failed: ${wrap.stderr}`);
}

/**
 * Wraps payloads as UDP packets (`text2pcap -u SPORT,DPORT`), decodes them with
 * `tshark -d udp.port==DPORT,cflow -T json` and returns the flow records per packet.
 */
export function tsharkRecords(
  payloads: readonly Uint8Array[],
  sport = 40000,
  dport = 2055,
): TsharkRecord[][] {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-tshark-'));
  try {
    writeFileSync(join(dir, 'dump.txt'), hexDump(payloads));
    const wrap = spawnSync(
      'text2pcap',
      ['-q', '-u', `${sport},${dport}`, join(dir, 'dump.txt'), join(dir, 'x.pcap')],
      { encoding: 'utf8' },
    );
    if (wrap.status !== 0) throw new Error(`text2pcap failed: ${wrap.stderr}`);
    const run = spawnSync(
      'tshark',
      ['-r', join(dir, 'x.pcap'), '-d', `udp.port==${dport},cflow`, '-T', 'json'],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
    const packets = JSON.parse(run.stdout) as { _source: { layers: { cflow?: unknown } } }[];
    return packets.map((packet) => {
      const records: TsharkRecord[] = [];
      collectRecords(packet._source.layers.cflow, records);
      return records;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
