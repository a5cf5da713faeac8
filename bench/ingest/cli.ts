// Runs the built CLI (`npm run build` → dist/cli/main.js) the way a user does, with the
// wall time and the peak resident set of the Node process from /proc/PID/status.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI's entry point. */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

/** Why the CLI benchmarks cannot run, or undefined when they can. */
export function cliUnavailable(): string | undefined {
  return existsSync(CLI) ? undefined : `no ${CLI}: run npm run build first`;
}

/** One finished CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** Highest VmHWM seen while the process ran, in bytes (0 if never sampled). */
  readonly peakRss: number;
}

function vmHwm(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // the process has just exited
  }
}

/** Runs `node dist/cli/main.js ARGS`, sampling VmHWM every `sampleMs`, killed after `timeoutMs`. */
export function runCli(
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly sampleMs?: number },
): Promise<CliRun> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peakRss = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const sample = (): void => {
    if (child.pid !== undefined) peakRss = Math.max(peakRss, vmHwm(child.pid));
  };
  const sampler = setInterval(sample, options.sampleMs ?? 100);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'exit' comes before the process is reaped, so a last sample still reads its status.
    child.on('exit', (code) => {
      sample();
      clearInterval(sampler);
      clearTimeout(killer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      child.on('close', () => {
        resolve({ code, stdout, stderr, seconds, peakRss });
      });
    });
  });
}
