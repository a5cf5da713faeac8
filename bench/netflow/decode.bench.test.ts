import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createNetflowDecoder } from '../../src/ingest/netflow/index.js';
import { tempDir } from '../../test/e2e/cli.js';
import { writeV9Stream } from './stream.js';

/** The decoder alone, in process: how many flows per second one core turns into Flow objects. */
describe('NetFlow v9 decoder throughput', () => {
  it('decodes the benchmark stream', () => {
    const dir = tempDir('bench-decode');
    const file = join(dir, 'stream.bin');
    writeV9Stream(file, 6_000);
    const data = readFileSync(file);
    rmSync(dir, { recursive: true, force: true });
    const datagrams: Buffer[] = [];
    for (let at = 0; at < data.length;) {
      const length = data.readUInt16BE(at);
      datagrams.push(data.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }

    const rates: number[] = [];
    for (let round = 0; round < 5; round++) {
      const decoder = createNetflowDecoder();
      let flows = 0;
      const started = performance.now();
      for (const datagram of datagrams) {
        flows += decoder.decode(datagram, { address: '127.0.0.1', port: 2055 }, () => undefined);
      }
      rates.push((flows * 1000) / (performance.now() - started));
    }
    console.log(
      `decoder: ${rates.map((r) => Math.round(r)).join(', ')} flows/s (5 rounds of 270,000 flows)`,
    );
    expect(Math.max(...rates)).toBeGreaterThan(0);
  });
});
