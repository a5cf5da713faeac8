// Fuzz the readers written before the shared fuzz helpers existed (pcap, VPC, Zeek, CSV and
// nmap inventories): random and mutated inputs built from real samples, a CI-sized run with
// a fixed seed. A reader may reject records or refuse a file with an InputError; it may not
// throw anything else, hang, or lose the file's good records silently.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { InputError } from '../../src/domain/index.js';
import { readInventoryCsv, readNmapXml } from '../../src/ingest/inventory/index.js';
import { readPcap } from '../../src/ingest/pcap/index.js';
import { readVpcFlowLog } from '../../src/ingest/vpc/index.js';
import { readZeekConnLog } from '../../src/ingest/zeek/index.js';
import { ROOT, tempDir } from '../e2e/cli.js';

const dir = tempDir('fuzz');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const PCAP = readFileSync(join(ROOT, 'samples', 'mb2', 'mb2.pcap')).subarray(0, 24 * 1024);
const VPC = Buffer.from(
  [
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags',
    '2 123456789010 eni-1 198.18.0.1 198.18.0.2 49761 3389 6 20 4249 1418530010 1418530070 ACCEPT OK 2',
    '2 123456789010 eni-1 198.18.0.2 198.18.0.1 3389 49761 6 20 4249 1418530010 1418530070 REJECT OK 18',
    '2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA -',
  ].join('\n') + '\n',
);
const ZEEK = Buffer.from(
  [
    '#separator \\x09',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tcount\tcount\tcount\tcount',
    '1700000000.1\tC1\t198.18.0.1\t50000\t198.18.0.2\t502\ttcp\t1.5\t10\t800\t9\t700',
    '1700000001.2\tC2\t2001:db8::1\t5353\t2001:db8::2\t53\tudp\t-\t1\t80\t1\t120',
  ].join('\n') + '\n',
);
const CSV = Buffer.from(
  'name,addresses,label:app\nweb-1,198.18.0.1,shop\n"db,1","198.18.0.2;2001:db8::2",pay\n',
);
const NMAP = Buffer.from(
  '<?xml version="1.0"?>\n<nmaprun scanner="nmap"><host><status state="up"/><address addr="198.18.0.5" addrtype="ipv4"/>' +
    '<hostnames><hostname name="plc-1"/></hostnames><ports><port protocol="tcp" portid="502"><state state="open"/><service name="modbus"/></port></ports></host></nmaprun>\n',
);

/** A mutation of a sample: truncated, bytes flipped, a run inserted or removed. */
function mutated(sample: Buffer): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.nat({ max: sample.length }).map((n) => sample.subarray(0, n)),
    fc
      .array(fc.tuple(fc.nat({ max: sample.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 24,
      })
      .map((flips) => {
        const copy = Buffer.from(sample);
        for (const [at, value] of flips) copy[at] = value;
        return copy;
      }),
    fc
      .tuple(fc.nat({ max: sample.length }), fc.uint8Array({ maxLength: 64 }))
      .map(([at, bytes]) =>
        Buffer.concat([sample.subarray(0, at), Buffer.from(bytes), sample.subarray(at)]),
      ),
    fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  );
}

let counter = 0;
async function survives(read: (file: string) => Promise<unknown>, input: Buffer): Promise<void> {
  const file = join(dir, `case-${counter++}`);
  writeFileSync(file, input);
  const outcome = await Promise.race([
    read(file).then(
      () => 'read',
      (error: unknown) => (error instanceof InputError ? 'refused' : error),
    ),
    new Promise((resolve) =>
      setTimeout(() => {
        resolve('hung');
      }, 5_000),
    ),
  ]);
  rmSync(file, { force: true });
  expect(['read', 'refused']).toContain(outcome);
}

const sink = (): void => undefined;
const readers: [string, Buffer, (file: string) => Promise<unknown>][] = [
  ['readPcap', PCAP, (f) => readPcap(f, sink)],
  ['readVpcFlowLog', VPC, (f) => readVpcFlowLog(f, sink)],
  ['readZeekConnLog', ZEEK, (f) => readZeekConnLog(f, sink)],
  ['readInventoryCsv', CSV, readInventoryCsv],
  ['readNmapXml', NMAP, readNmapXml],
];

describe('readers under random and mutated input', () => {
  it.each(readers)(
    '%s reads or refuses, never throws otherwise or hangs',
    async (_name, sample, read) => {
      await survives(read, sample); // the sample itself reads
      await fc.assert(
        fc.asyncProperty(mutated(sample), (input) => survives(read, input)),
        { numRuns: 80, seed: 20261203 },
      );
    },
  );
});
