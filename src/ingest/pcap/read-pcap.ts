import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../domain/index.js';
import { createReport, reject, type FlowSink, type ReadReport } from '../report.js';
import { ClassicFramer } from './classic.js';
import {
  ConversationTable,
  DEFAULT_IDLE_TIMEOUTS,
  type IdleTimeouts,
} from './conversation-table.js';
import type { Framer } from './framer.js';
import { PacketDecoder } from './packet-decoder.js';
import { PcapngFramer } from './pcapng.js';
import { gunzipHead, isGzip, sniffCaptureFormat } from './sniff.js';

/** Options of readPcap. */
export interface PcapReadOptions {
  /** Idle timeouts in milliseconds; missing ones keep Zeek's defaults (5 min TCP, 1 min else). */
  readonly idleTimeoutMs?: Partial<IdleTimeouts>;
}

/** Read size: large enough that per-chunk work vanishes, small enough to bound memory. */
const CHUNK_BYTES = 1024 * 1024;
/** Raw bytes read to sniff the format; enough to decompress a gzip header and 24 bytes. */
const HEAD_BYTES = 64 * 1024;

/**
 * Reads a pcap or pcapng capture (optionally gzip-compressed) and hands the
 * conversations in it to the sink as flows, streaming so memory stays bounded.
 *
 * Malformed packets are rejected in the report with their packet number and the reader
 * goes on; a corrupt record header ends the read but keeps every conversation before it.
 *
 * @param file Path of the capture.
 * @param sink Receives each conversation when it ends (idle, closed, or end of file).
 * @param options Idle timeouts.
 * @returns The report: packets read, flows, skipped packets by reason, rejects.
 * @throws InputError when the file cannot be opened or is not a capture at all.
 * @example
 * const flows: Flow[] = [];
 * const report = await readPcap('capture.pcapng', (flow) => flows.push(flow));
 */
export async function readPcap(
  file: string,
  sink: FlowSink,
  options: PcapReadOptions = {},
): Promise<ReadReport> {
  const raw = await readHead(file, HEAD_BYTES);
  const compressed = isGzip(raw);
  const head = (compressed ? gunzipHead(raw) : raw) ?? Buffer.alloc(0);
  const format = sniffCaptureFormat(head);
  if (format === undefined) throw notACapture(file, raw, compressed);

  const timeouts = { ...DEFAULT_IDLE_TIMEOUTS, ...options.idleTimeoutMs };
  const report = createReport(file, format);
  const decoder = new PacketDecoder(report, new ConversationTable(report, sink, timeouts));
  const table = decoder.table;
  const framer: Framer =
    format === 'pcap' ? new ClassicFramer(report, decoder) : new PcapngFramer(report, decoder);
  if (head.length < framer.headerLength) {
    throw new InputError(
      `Cannot read ${file} as ${format}: the file header needs ${framer.headerLength} bytes, found ${head.length}`,
      { file },
    );
  }
  framer.start(head);

  const leftover = await streamRecords(file, compressed, framer, report);
  framer.finish(leftover);
  table.flush();
  return report;
}

/** Feeds the file to the framer chunk by chunk; returns the bytes left unframed. */
async function streamRecords(
  file: string,
  compressed: boolean,
  framer: Framer,
  report: ReadReport,
): Promise<number> {
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const source = compressed ? stream.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : stream;
  if (compressed) stream.on('error', (error) => source.destroy(error));

  let headerLeft = framer.headerLength;
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (headerLeft > 0) {
        const used = Math.min(headerLeft, pending.length);
        pending = pending.subarray(used);
        headerLeft -= used;
      }
      pending = pending.subarray(framer.consume(pending));
      if (framer.stopped) return 0;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reject(
      report,
      undefined,
      `Cannot read ${file} past packet ${report.read}: ${message}; packets before it are kept`,
    );
    return 0;
  } finally {
    source.destroy();
    stream.destroy();
  }
  return pending.length;
}

function notACapture(file: string, raw: Buffer, compressed: boolean): InputError {
  const found =
    raw.length === 0
      ? 'nothing (the file is empty)'
      : `bytes ${raw.subarray(0, 8).toString('hex')}`;
  const inside = compressed ? ' (gzip, whose content does not decompress to a capture)' : '';
  return new InputError(
    `Cannot read ${file} as a capture: it starts with ${found}${inside}; expected a pcap magic number (a1b2c3d4 or a1b23c4d, in either byte order) or a pcapng section header block (0a0d0d0a)`,
    { file },
  );
}

async function readHead(file: string, length: number): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`Cannot open capture ${file}: ${reason}`, { file }, { cause: error });
  }
}
