import { InputError } from '../domain/index.js';

/** Exit codes, as DESIGN.md sets them (diff(1) style); 3 is a Bulkhead bug. */
export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

/** A finished command's wish for the exit code. */
export class ExitRequest extends Error {
  override readonly name = 'ExitRequest';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Wraps a command action: input errors print as `file:line:col: message` and exit 2;
 * anything else is a Bulkhead bug, printed with its stack, exit 3.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : EXIT.ok;
    } catch (error) {
      process.exitCode = report(error);
    }
  };
}

function report(error: unknown): number {
  if (error instanceof ExitRequest) return error.code;
  if (error instanceof InputError) {
    process.stderr.write(`bulkhead: ${error.describe()}\n`);
    return EXIT.usage;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`bulkhead: internal error (please report it): ${stack}\n`);
  return EXIT.internal;
}

/** Parses a comma-separated list option (`--by app,role`). */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parses a time option: ISO 8601 or epoch seconds. */
export function parseTime(value: string, option: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InputError(
      `Cannot read ${option} "${value}": write an ISO 8601 time like 2026-01-31T00:00:00Z or epoch seconds`,
    );
  }
  return ms;
}
