import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initWorkspace } from '../../src/cli/workspace.js';
import { tempDir } from '../../test/e2e/cli.js';
import { buildCollectorForTest } from '../../test/netflow/collector-build.js';
import { startCollectorProcess } from '../../test/netflow/collector-process.js';
import { RECORDS_PER_DATAGRAM, SENDER, writeV9Stream } from './stream.js';

/*
 * Lossless NetFlow v9 throughput: Bulkhead's collector against nfcapd (Debian nfdump),
 * each pinned to core 0, fed the identical recorded stream over 127.0.0.1 by one sender
 * pinned to core 1, at rising rates. A rate is lossless when every flow sent is counted.
 * Bounded: SECONDS of traffic per step, RATES steps per collector.
 */

const SECONDS = Number(process.env.NETFLOW_BENCH_SECONDS ?? 4);
const RATES = (process.env.NETFLOW_BENCH_RATES ?? '25000,50000,75000,100000,150000,200000,300000')
  .split(',')
  .map(Number);
const HAS_NFCAPD = spawnSync('nfcapd', ['-V']).status === 0;
const dirs: string[] = [];
let runner = '';
let stream = '';
let streamFlows = 0;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function datagramsFor(rate: number): number {
  return Math.ceil((rate * SECONDS) / RECORDS_PER_DATAGRAM);
}

function send(port: number, rate: number): Promise<void> {
  const args = [
    process.execPath,
    '--input-type=module',
    '-e',
    SENDER,
    stream,
    String(port),
    String(rate / RECORDS_PER_DATAGRAM),
    String(datagramsFor(rate)),
  ];
  const child = spawn('taskset', ['-c', '1', ...args], { stdio: 'ignore' });
  return new Promise((resolve) =>
    child.on('close', () => {
      resolve();
    }),
  );
}

async function bulkheadFlows(rate: number): Promise<number> {
  const dir = tempDir('bench-collect');
  dirs.push(dir);
  initWorkspace(dir);
  const expected = datagramsFor(rate) * RECORDS_PER_DATAGRAM;
  const collector = await startCollectorProcess(
    runner,
    [
      '--workspace',
      dir,
      'collect',
      '--listen',
      '127.0.0.1:0',
      '--max-flows',
      String(expected),
      '--duration',
      String(SECONDS + 30),
      '--output',
      'json',
    ],
    ['taskset', '-c', '0'],
  );
  await send(collector.port, rate);
  const timer = setTimeout(() => collector.child.kill('SIGTERM'), 3_000);
  const result = await collector.done;
  clearTimeout(timer);
  return (JSON.parse(result.stdout) as { flows: number }).flows;
}

async function nfcapdFlows(rate: number): Promise<number> {
  const dir = tempDir('bench-nfcapd');
  dirs.push(dir);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const nfcapd = spawn(
    'taskset',
    [
      '-c',
      '0',
      'nfcapd',
      '-w',
      dir,
      '-b',
      '127.0.0.1',
      '-p',
      String(port),
      '-B',
      String(8 << 20),
      '-t',
      '3600',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) =>
    nfcapd.on('close', () => {
      resolve();
    }),
  );
  await sleep(1_000);
  await send(port, rate);
  await sleep(2_000);
  nfcapd.kill('SIGTERM');
  await exited;

  let flows = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith('nfcapd.'))) {
    const info = spawnSync('nfdump', ['-r', join(dir, file), '-I'], { encoding: 'utf8' }).stdout;
    flows += Number(/^Flows:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  }
  return flows;
}

interface Step {
  readonly rate: number;
  readonly sent: number;
  readonly bulkhead: number;
  readonly nfcapd: number;
}

describe.skipIf(!HAS_NFCAPD)(
  'NetFlow v9 collector throughput (needs nfcapd: Debian nfdump)',
  () => {
    beforeAll(() => {
      runner = buildCollectorForTest();
      const dir = tempDir('bench-stream');
      dirs.push(dir);
      stream = join(dir, 'stream.bin');
      streamFlows = writeV9Stream(stream, datagramsFor(Math.max(...RATES)));
    });

    afterAll(() => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('finds the highest lossless rate of Bulkhead and of nfcapd on the same stream', async () => {
      const steps: Step[] = [];
      for (const rate of RATES) {
        const sent = datagramsFor(rate) * RECORDS_PER_DATAGRAM;
        steps.push({
          rate,
          sent,
          bulkhead: await bulkheadFlows(rate),
          nfcapd: await nfcapdFlows(rate),
        });
      }

      const best = (key: 'bulkhead' | 'nfcapd'): number =>
        Math.max(0, ...steps.filter((s) => s[key] === s.sent).map((s) => s.rate));
      console.log(
        `stream: ${streamFlows} flows, ${RECORDS_PER_DATAGRAM} per datagram, ${SECONDS} s per step`,
      );
      console.table(
        steps.map((s) => ({
          'offered flows/s': s.rate,
          sent: s.sent,
          bulkhead: s.bulkhead,
          nfcapd: s.nfcapd,
        })),
      );
      const ours = best('bulkhead');
      const theirs = best('nfcapd');
      console.log(
        `lossless: Bulkhead ${ours} flows/s, nfcapd ${theirs} flows/s, ratio ${theirs > 0 ? (ours / theirs).toFixed(2) : 'n/a'}`,
      );
      expect(steps.length).toBe(RATES.length);
    });
  },
);
