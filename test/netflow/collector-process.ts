import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A collector running as its own process. */
export interface CollectorProcess {
  readonly child: ChildProcess;
  /** The first bound port, from the "Listening on" line. */
  readonly port: number;
  /** Resolves with stdout and the exit code when the process ends. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * Starts `PREFIX… node RUNNER --workspace WS collect ARGS…` and waits until it listens.
 * `prefix` runs it through another program (`ip netns exec NS`).
 */
export function startCollectorProcess(
  runner: string,
  args: readonly string[],
  prefix: readonly string[] = [],
): Promise<CollectorProcess> {
  const command = [...prefix, process.execPath, runner, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`collector did not listen within 20 s: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /Listening on \[?[^\s\]]+\]?:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), done });
      }
    });
    void done.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}: ${stderr}`));
    });
  });
}
