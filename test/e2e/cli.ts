import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built command; `npm test` builds before it runs the tests. */
export const BIN = join(ROOT, 'dist', 'cli', 'main.js');

/** The shared real data folder beside the checkout, absent on a user's fresh clone. */
export const SHARED_DATA = join(ROOT, '..', 'shared', 'data');

/** Whether the built command exists; tests that need it say how to build it otherwise. */
export const HAS_BUILD = existsSync(BIN);

/** The result of one `bulkhead` run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bulkhead ARGS…` with a workspace, synchronously, and returns its output. */
export function bulkhead(workspace: string | undefined, ...args: string[]): CliResult {
  const full = workspace === undefined ? args : ['--workspace', workspace, ...args];
  const run = spawnSync(process.execPath, [BIN, ...full], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bulkhead-${prefix}-`));
}
