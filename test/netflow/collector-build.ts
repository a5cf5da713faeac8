import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the collector is compiled for live tests and benchmarks (under the ignored dist/). */
const OUT = join(ROOT, 'dist', '.netflow-collector');

/**
 * Compiles `bulkhead collect` and what it imports into dist/.netflow-collector with tsc,
 * and writes a runner that takes `bulkhead`'s arguments (`--workspace DIR collect …`).
 * The live test and the benchmark run the collector as its own process (inside a network
 * namespace, or on its own core), so it has to be JavaScript; compiling only this command
 * keeps them independent of the rest of the tree building.
 *
 * @returns The runner's path, for `node RUNNER --workspace DIR collect …`.
 */
export function buildCollectorForTest(): string {
  mkdirSync(OUT, { recursive: true });
  const tsconfig = join(OUT, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: join(ROOT, 'src'), outDir: OUT, noEmit: false, sourceMap: false },
      files: [join(ROOT, 'src', 'cli', 'commands', 'collect.ts')],
      include: [],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (tsc.status !== 0) throw new Error(`Cannot compile the collector: ${tsc.stdout}${tsc.stderr}`);

  const runner = join(OUT, 'bulkhead-collect.mjs');
  writeFileSync(
    runner,
    [
      "import { Command } from 'commander';",
      "import { registerCollect } from './cli/commands/collect.js';",
      "const program = new Command('bulkhead').option('--workspace <dir>');",
      'registerCollect(program);',
      'await program.parseAsync(process.argv);',
      '',
    ].join('\n'),
  );
  return runner;
}
