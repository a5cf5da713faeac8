import { reject, type ReadReport } from '../report.js';
import type { PacketDecoder } from './packet-decoder.js';
import type { Framer } from './framer.js';

const HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** No capture tool writes records above 256 KiB unless its snaplen says so. */
const DEFAULT_MAX_RECORD = 262_144;
/** Beyond this a record length is taken as corruption, whatever the snaplen claims. */
const MAX_RECORD = 16 * 1024 * 1024;

/** The classic pcap magic numbers as read big-endian, with what each means. */
const MAGICS = new Map<number, { little: boolean; nanoseconds: boolean }>([
  [0xa1b2c3d4, { little: false, nanoseconds: false }],
  [0xd4c3b2a1, { little: true, nanoseconds: false }],
  [0xa1b23c4d, { little: false, nanoseconds: true }],
  [0x4d3cb2a1, { little: true, nanoseconds: true }],
]);

/** Whether the first four bytes are a classic pcap magic number. */
export function isClassicMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const view = new DataView(head.buffer, head.byteOffset, 4);
  return MAGICS.has(view.getUint32(0));
}

/**
 * Frames a classic pcap file (global header, then 16-byte record headers) and hands
 * each record to the decoder. A record length beyond the snaplen stops the read: the
 * format has no marker to find the next record by.
 */
export class ClassicFramer implements Framer {
  readonly format = 'pcap';
  readonly headerLength = HEADER_LENGTH;
  stopped = false;
  private little = false;
  private unitsPerMs = 1000;
  private linkType = 0;
  private maxRecord = DEFAULT_MAX_RECORD;
  private packets = 0;
  private position = 0;

  constructor(
    private readonly report: ReadReport,
    private readonly decoder: PacketDecoder,
  ) {}

  /** Reads the global header; the caller has checked the magic. */
  start(head: Uint8Array): void {
    const view = new DataView(head.buffer, head.byteOffset, HEADER_LENGTH);
    const magic = MAGICS.get(view.getUint32(0));
    this.little = magic?.little ?? false;
    this.unitsPerMs = magic?.nanoseconds ? 1_000_000 : 1000;
    const snaplen = view.getUint32(16, this.little);
    this.maxRecord = Math.min(MAX_RECORD, Math.max(DEFAULT_MAX_RECORD, snaplen));
    // The upper bits of the link type field carry FCS information (pcap-linktype(7)).
    this.linkType = view.getUint32(20, this.little) & 0x03ffffff;
    this.position = HEADER_LENGTH;
  }

  consume(bytes: Uint8Array): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.decoder.setBuffer(bytes);
    let offset = 0;

    while (!this.stopped && bytes.length - offset >= RECORD_HEADER_LENGTH) {
      const captured = view.getUint32(offset + 8, this.little);
      if (captured > this.maxRecord) {
        this.stop(captured, this.position + offset);
        break;
      }
      if (bytes.length - offset < RECORD_HEADER_LENGTH + captured) break;

      const seconds = view.getUint32(offset, this.little);
      const fraction = view.getUint32(offset + 4, this.little);
      const time = seconds * 1000 + fraction / this.unitsPerMs;
      this.packets += 1;
      this.report.read += 1;
      const start = offset + RECORD_HEADER_LENGTH;
      this.decoder.decode(this.linkType, start, start + captured, time, this.packets);
      offset = start + captured;
    }

    this.position += offset;
    return offset;
  }

  finish(leftover: number): void {
    if (leftover === 0 || this.stopped) return;
    const packet = this.packets + 1;
    reject(
      this.report,
      packet,
      `Cannot read packet ${packet} at byte ${this.position}: the file ends ${leftover} bytes into the record; the capture was cut short`,
    );
  }

  private stop(captured: number, at: number): void {
    const packet = this.packets + 1;
    this.stopped = true;
    reject(
      this.report,
      packet,
      `Cannot read packet ${packet} at byte ${at}: captured length ${captured} exceeds the limit of ${this.maxRecord}; the file is corrupt from here, packets before it are kept`,
    );
  }
}
