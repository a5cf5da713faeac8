import { readFileSync, statSync } from 'node:fs';

import { SingleBar } from 'cli-progress';

/** Files above this size get a progress bar on a terminal. */
const MIN_BYTES = 4 * 1024 * 1024;

/**
 * Bytes this process has read so far, from Linux's per-process I/O counters. Readers
 * stream their file, so the growth of `rchar` during an ingest is the file being read
 * (compressed bytes for `.gz`), without the readers having to report it.
 */
function bytesRead(): number | undefined {
  try {
    const match = /^rchar:\s+(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A progress display for one file: records/s, bytes and ETA, on stderr, TTY only. */
export interface IngestProgress {
  /** Counts flows as the reader hands them over. */
  readonly counter: { flows: number };
  stop(): void;
}

/** Starts a progress bar for a large file when stderr is a terminal; a no-op otherwise. */
export function startProgress(file: string): IngestProgress {
  const counter = { flows: 0 };
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // A missing file is reported by the ingest itself, with its name.
  }
  const start = bytesRead();
  if (!process.stderr.isTTY || size < MIN_BYTES || start === undefined) {
    return { counter, stop: () => undefined };
  }

  const began = Date.now();
  const bar = new SingleBar({
    format:
      ' {bar} {percentage}% | {mb}/{total_mb} MB | {flows} flows, {rate} flows/s | ETA {eta}s',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(size, 0, { mb: '0', total_mb: (size / 1e6).toFixed(0), flows: 0, rate: 0 });
  const timer = setInterval(() => {
    const done = Math.min(size, (bytesRead() ?? start) - start);
    const seconds = Math.max(0.001, (Date.now() - began) / 1000);
    bar.update(done, {
      mb: (done / 1e6).toFixed(0),
      flows: counter.flows,
      rate: Math.round(counter.flows / seconds),
    });
  }, 200);
  return {
    counter,
    stop: () => {
      clearInterval(timer);
      bar.stop();
    },
  };
}
