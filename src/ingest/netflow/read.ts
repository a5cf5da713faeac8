import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { InputError } from '../../domain/index.js';
import { createReport, reject, skip } from '../report.js';
import type { FlowSink, ReadReport } from '../report.js';
import { isCapture, walkCapture } from './capture.js';
import { createNetflowDecoder } from './decoder.js';
import type { NetflowDecoder } from './decoder.js';

/** The format name ReadReports of this reader carry. */
export const NETFLOW_FORMAT = 'netflow';

/** Files larger than this are refused: the reader holds the whole file in memory. */
const MAX_FILE_BYTES = 1 << 30;

/** Options of readNetflowPayloads. */
export interface ReadNetflowOptions {
  /** A decoder whose templates carry over from earlier files (templates before data). */
  readonly decoder?: NetflowDecoder;
}

function isExportHeader(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const version = (head[0]! << 8) | head[1]!;
  if (version === 5) return ((head[2]! << 8) | head[3]!) <= 30;
  if (version === 9) return head.length >= 20;
  return version === 10 && ((head[2]! << 8) | head[3]!) >= 16;
}

/**
 * Whether the bytes start a file this reader takes: one raw export payload (a `.dat`
 * starting with version 5, 9 or 10), or a pcap/pcapng capture whose first UDP packet
 * carries one.
 */
export function isNetflowPayloads(head: Uint8Array): boolean {
  if (!isCapture(head)) return isExportHeader(head);
  let found = false;
  try {
    walkCapture(head, {
      udp: (datagram) => {
        found ||= isExportHeader(datagram.payload);
      },
      skip: () => undefined,
    });
  } catch {
    // A head cut in the middle of a packet still answers from the packets before it.
  }
  return found;
}

/**
 * Reads captured NetFlow/IPFIX export datagrams: a single raw payload (`.dat`), or every
 * UDP packet of a pcap or pcapng capture, whatever its port. The exporter of a capture
 * packet is its source address and port; a raw payload's exporter is the file name.
 * Malformed datagrams are rejected with the packet number, exporter and reason.
 *
 * @throws InputError when the file cannot be read or is neither a capture nor a payload.
 */
export async function readNetflowPayloads(
  file: string,
  sink: FlowSink,
  options: ReadNetflowOptions = {},
): Promise<ReadReport> {
  const data = await readWhole(file);
  const report = createReport(file, NETFLOW_FORMAT);
  let packet = 0;
  const decoder =
    options.decoder ??
    createNetflowDecoder({
      onIssue: (issue) => {
        reject(report, packet, `${issue.exporter}: ${issue.reason}: ${issue.detail}`);
      },
    });
  const take = (payload: Uint8Array, address: string, port: number): void => {
    report.read += 1;
    report.flows += decoder.decode(payload, { address, port }, sink);
  };

  if (!isCapture(data)) {
    if (!isExportHeader(data)) {
      throw new InputError(
        'Cannot read NetFlow payload: it starts with no version 5, 9 or 10 header',
        { file },
      );
    }
    packet = 1;
    take(data, `file:${basename(file)}`, 0);
    return report;
  }
  walkCapture(data, {
    udp: (datagram, number) => {
      packet = number;
      take(datagram.payload, datagram.srcAddress, datagram.srcPort);
    },
    skip: (reason) => {
      skip(report, reason);
    },
  });
  return report;
}

async function readWhole(file: string): Promise<Uint8Array> {
  try {
    const data = await readFile(file);
    if (data.length > MAX_FILE_BYTES) {
      throw new InputError(
        `Cannot read NetFlow capture: it exceeds ${MAX_FILE_BYTES} bytes; split it with editcap -c`,
        { file },
      );
    }
    return data;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `Cannot read NetFlow capture: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
}
