// Ingest speed (issue #3, item 5): lines per second of `bulkhead ingest` on a generated VPC
// flow log and a generated Zeek conn.log, against `wc -l` on the same file in the same run.
// Target: at least a third of wc -l's rate. BENCH_LINES sets the size (default 1 500 000).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cliUnavailable, runCli } from './cli.js';
import { generateFile, vpcLine, zeekHeader, zeekLine } from './generate.js';
import type { GenerateOptions } from './generate.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_500_000);
const TARGET = 1 / 3;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-ingest-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function timeWc(file: string): { lines: number; seconds: number } {
  // Twice: the first run also warms the page cache for the ingest that follows.
  let seconds = Number.POSITIVE_INFINITY;
  let lines = 0;
  for (let i = 0; i < 2; i++) {
    const started = process.hrtime.bigint();
    const wc = spawnSync('wc', ['-l', file], { encoding: 'utf8' });
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - started) / 1e9);
    lines = Number(wc.stdout.trim().split(/\s+/)[0]);
  }
  return { lines, seconds };
}

function rate(n: number): string {
  return `${(n / 1e3).toFixed(0)} k lines/s`;
}

const cases: { name: string; file: string; generate: GenerateOptions }[] = [
  { name: 'VPC flow log v2', file: 'flows.log', generate: { line: vpcLine, lines: LINES } },
  {
    name: 'Zeek conn.log',
    file: 'conn.log',
    generate: { line: zeekLine, header: zeekHeader(), lines: LINES },
  },
];

describe.skipIf(cliUnavailable() !== undefined)('ingest lines/s against wc -l', () => {
  it.each(cases)('$name', async ({ name, file, generate }) => {
    const path = join(dir, file);
    const workspace = join(dir, `ws-${file}`);
    const made = generateFile(path, generate);
    const init = await runCli(['--workspace', workspace, 'init', workspace], {
      timeoutMs: 30_000,
    });
    expect(init.code).toBe(0);

    const wc = timeWc(path);
    const ingest = await runCli(['--workspace', workspace, 'ingest', path, '--output', 'json'], {
      timeoutMs: 1_800_000,
    });
    expect(ingest.code, ingest.stderr).not.toBe(2);
    const summary = (JSON.parse(ingest.stdout) as { read: number; flows: number }[])[0]!;

    const wcRate = wc.lines / wc.seconds;
    const bhRate = wc.lines / ingest.seconds;
    const ratio = bhRate / wcRate;
    console.log(
      `${name}: ${wc.lines} lines, ${(made.bytes / 2 ** 20).toFixed(0)} MiB (${summary.read} records read, ${summary.flows} flows)\n` +
        `  wc -l     ${wc.seconds.toFixed(3)} s  ${rate(wcRate)}\n` +
        `  bulkhead  ${ingest.seconds.toFixed(3)} s  ${rate(bhRate)}  peak RSS ${(ingest.peakRss / 2 ** 20).toFixed(0)} MiB\n` +
        `  ratio ${ratio.toFixed(4)} (target ≥ ${TARGET.toFixed(3)}: ${ratio >= TARGET ? 'met' : 'NOT met'})`,
    );
  });
});
