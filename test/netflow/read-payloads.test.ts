import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { isNetflowPayloads, readNetflowPayloads } from '../../src/ingest/netflow/index.js';
import { readHead } from '../../src/ingest/head.js';
import { tempDir } from '../e2e/cli.js';
import { HAS_PACKETS, PACKETS_DIR, readPayload } from './shared-data.js';
import { hasProgram, wrapPayloadsForTest } from './tshark.js';

const FILES = [
  'ipfix_test_mikrotik_tpl.dat',
  'ipfix_test_mikrotik_data258.dat',
  'ipfix_test_mikrotik_data259.dat',
];
const skipReason = !HAS_PACKETS
  ? `needs ${PACKETS_DIR}`
  : !hasProgram('text2pcap')
    ? 'needs text2pcap (Debian package tshark)'
    : '';
const dir = tempDir('netflow-read');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skipReason !== '')(`readNetflowPayloads() ${skipReason}`, () => {
  it.each([
    { name: 'classic pcap', pcapng: false },
    { name: 'pcapng', pcapng: true },
  ])('reads every export packet of a $name on a non-standard port', async ({ pcapng }) => {
    const file = join(dir, pcapng ? 'export.pcapng' : 'export.pcap');
    wrapPayloadsForTest(FILES.map(readPayload), file, { pcapng, dport: 9999 });

    expect(isNetflowPayloads(await readHead(file))).toBe(true);
    const flows: unknown[] = [];
    const report = await readNetflowPayloads(file, (flow) => flows.push(flow));
    expect(report).toMatchObject({ format: 'netflow', read: 3, flows: 46, rejected: 0 });
    expect(flows[0]).toMatchObject({ observer: '10.1.1.1#0' });
  });

  it('reads a single raw payload and rejects its data for lack of a template', async () => {
    const file = join(PACKETS_DIR, 'dat', 'ipfix_test_mikrotik_data258.dat');
    expect(isNetflowPayloads(await readHead(file))).toBe(true);
    const report = await readNetflowPayloads(file, () => undefined);
    expect(report).toMatchObject({ read: 1, flows: 0 });
  });

  it('refuses a file that is neither a capture nor a payload', async () => {
    const file = join(PACKETS_DIR, 'SOURCE.md');
    expect(isNetflowPayloads(await readHead(file))).toBe(false);
    await expect(readNetflowPayloads(file, () => undefined)).rejects.toThrow(
      /no version 5, 9 or 10 header/,
    );
  });
});
