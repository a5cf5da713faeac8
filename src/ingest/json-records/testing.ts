import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InputError } from '../../domain/index.js';
import type { Flow, Workload } from '../../domain/index.js';
import type { FlowSink, ReadReport, WorkloadSink } from '../report.js';

/** A reader as the tests drive it. */
export type ReaderForTest = (
  file: string,
  sink: FlowSink,
  workloads?: WorkloadSink,
) => Promise<ReadReport>;

/** What a reader produced from one file. */
export interface ReadResultForTest {
  readonly file: string;
  readonly flows: Flow[];
  readonly workloads: Workload[];
  readonly report: ReadReport;
}

/** A temporary folder for one test file; `remove()` deletes it. */
export function tempDirForTest(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `bulkhead-${prefix}-`));
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Writes `content` to `dir/name` and runs the reader over it, collecting what it emits. */
export async function readTextForTest(
  reader: ReaderForTest,
  dir: string,
  name: string,
  content: string | Buffer,
): Promise<ReadResultForTest> {
  const file = join(dir, name);
  writeFileSync(file, content);
  return readFileForTest(reader, file);
}

/** Runs the reader over an existing file, collecting what it emits. */
export async function readFileForTest(
  reader: ReaderForTest,
  file: string,
): Promise<ReadResultForTest> {
  const flows: Flow[] = [];
  const workloads: Workload[] = [];
  const report = await reader(
    file,
    (flow) => flows.push(flow),
    (workload) => workloads.push(workload),
  );
  return { file, flows, workloads, report };
}

/** Small edits that turn a valid sample into a plausible broken one. */
function mutate(text: string, edits: readonly [number, number, number, string][]): string {
  let out = text;
  for (const [kind, a, b, insert] of edits) {
    const i = out.length === 0 ? 0 : a % out.length;
    const j = out.length === 0 ? 0 : Math.min(out.length, i + (b % 64));
    switch (kind % 6) {
      case 0:
        out = out.slice(0, i) + out.slice(j);
        break;
      case 1:
        out = out.slice(0, i) + insert + out.slice(i);
        break;
      case 2:
        out = out.slice(0, j) + out.slice(i, j) + out.slice(j);
        break;
      case 3:
        out = out.slice(0, i);
        break;
      case 4:
        out = out.slice(0, i) + insert + out.slice(j);
        break;
      default:
        out = out.replace(/\d+/, insert.length > 0 ? insert : '-1');
    }
  }
  return out;
}

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  ':',
  '\n',
  '-',
  '0',
  '65536',
  'null',
  'true',
  '1e9',
  ' ',
];

/**
 * Checks that a reader survives random and mutated input: it either returns a report whose
 * flow count matches what reached the sink, or throws an InputError; nothing else escapes
 * and no file takes longer than `timeoutMs`. Runs `runs` cases from a fixed seed.
 */
export async function fuzzReaderForTest(
  reader: ReaderForTest,
  samples: readonly string[],
  options: { readonly runs?: number; readonly seed?: number; readonly timeoutMs?: number } = {},
): Promise<void> {
  const dir = tempDirForTest('fuzz');
  const timeoutMs = options.timeoutMs ?? 5000;
  const edit = fc.tuple(
    fc.nat(),
    fc.nat(),
    fc.nat(),
    fc.string({ maxLength: 8, unit: fc.constantFrom(...TOKENS) }),
  );
  const input = fc.oneof(
    fc.record({ text: fc.string({ maxLength: 400 }), gzip: fc.boolean() }),
    fc.record({
      text: fc
        .tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 6 }))
        .map(([sample, edits]) => mutate(sample, edits)),
      gzip: fc.boolean(),
    }),
  );
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(input, async ({ text, gzip }) => {
        n += 1;
        const file = join(dir.path, `case-${n}${gzip ? '.gz' : ''}`);
        writeFileSync(file, gzip ? gzipSync(Buffer.from(text)) : text);
        let emitted = 0;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => {
            resolve('timeout');
          }, timeoutMs);
        });
        const run = reader(
          file,
          () => (emitted += 1),
          () => undefined,
        ).then(
          (report) => ({ report }),
          (err: unknown) => ({ err }),
        );
        const result = await Promise.race([run, timeout]);
        clearTimeout(timer);
        if (result === 'timeout') throw new Error(`reader took longer than ${timeoutMs} ms`);
        if ('err' in result) {
          if (!(result.err instanceof InputError)) throw result.err;
          return;
        }
        if (result.report.flows !== emitted) {
          throw new Error(`report counts ${result.report.flows} flows, the sink got ${emitted}`);
        }
      }),
      { numRuns: options.runs ?? 300, seed: options.seed ?? 20_240_501, endOnFailure: true },
    );
  } finally {
    dir.remove();
  }
}
