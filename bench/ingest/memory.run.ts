// Ingest memory (issue #3, item 5): a 5 GB VPC flow log ingests in under 300 MB RSS. The
// file is stream-generated into a temporary folder (BENCH_GB, default 5; check `df` first),
// ingested with the built CLI while its VmHWM is sampled, and deleted afterwards.
import { statfsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cliUnavailable, runCli } from './cli.js';
import { generateFile, vpcLine } from './generate.js';

const GB = Number(process.env.BENCH_GB ?? 5);
const LIMIT = 300 * 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-memory-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function freeBytes(path: string): number {
  const fs = statfsSync(path);
  return fs.bavail * fs.bsize;
}

describe.skipIf(cliUnavailable() !== undefined)('ingest memory', () => {
  it(`ingests a ${GB} GB VPC flow log under ${LIMIT / 2 ** 20} MiB RSS`, async () => {
    const bytes = Math.round(GB * 1e9);
    // The file, the store (a few % of the file) and headroom.
    if (freeBytes(dir) < bytes * 1.3)
      throw new Error(`Not enough free space in ${dir} for ${GB} GB`);

    const file = join(dir, 'flows.log');
    const workspace = join(dir, 'ws');
    const genStart = process.hrtime.bigint();
    const made = generateFile(file, { line: vpcLine, bytes });
    const genSeconds = Number(process.hrtime.bigint() - genStart) / 1e9;
    expect(
      (await runCli(['--workspace', workspace, 'init', workspace], { timeoutMs: 30_000 })).code,
    ).toBe(0);

    const ingest = await runCli(['--workspace', workspace, 'ingest', file, '--output', 'json'], {
      timeoutMs: 3_000_000,
      sampleMs: 50,
    });
    rmSync(file);
    expect(ingest.code, ingest.stderr).not.toBe(2);
    const summary = (
      JSON.parse(ingest.stdout) as { read: number; flows: number; edges: number }[]
    )[0]!;

    const ratio = ingest.peakRss / LIMIT;
    console.log(
      `${(made.bytes / 1e9).toFixed(2)} GB, ${made.lines} lines generated in ${genSeconds.toFixed(0)} s; ` +
        `${summary.read} records, ${summary.flows} flows, ${summary.edges} edges stored\n` +
        `  bulkhead ingest ${ingest.seconds.toFixed(1)} s (${(made.lines / ingest.seconds / 1e3).toFixed(0)} k lines/s), ` +
        `peak RSS (VmHWM) ${(ingest.peakRss / 2 ** 20).toFixed(0)} MiB\n` +
        `  limit 300 MiB: ratio ${ratio.toFixed(2)} (${ratio < 1 ? 'met' : 'NOT met'})`,
    );
  });
});
