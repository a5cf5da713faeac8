import { reject, type ReadReport } from '../report.js';
import type { Framer } from './framer.js';
import type { PacketDecoder } from './packet-decoder.js';

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 1;
const PACKET_OBSOLETE = 2;
const SIMPLE_PACKET = 3;
const ENHANCED_PACKET = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Blocks above this length are taken as corruption (packets stay below 256 KiB). */
const MAX_BLOCK = 16 * 1024 * 1024;

/** The shortest valid length of the blocks read here (header, fixed fields, trailer). */
const MINIMUM_LENGTH = new Map([
  [SECTION_HEADER, 28],
  [INTERFACE_DESCRIPTION, 20],
  [PACKET_OBSOLETE, 32],
  [SIMPLE_PACKET, 16],
  [ENHANCED_PACKET, 32],
]);

interface Interface {
  readonly linkType: number;
  /** Timestamp units per millisecond (if_tsresol; microseconds by default). */
  readonly unitsPerMs: number;
  /** if_tsoffset, in milliseconds. */
  readonly offsetMs: number;
  readonly snaplen: number;
}

/** Whether the first bytes are a pcapng section header block (in either byte order). */
export function isPcapngMagic(head: Uint8Array): boolean {
  if (head.length < 12) return head.length >= 4 && readU32(head, 0, false) === SECTION_HEADER;
  const order = readU32(head, 8, false);
  return (
    readU32(head, 0, false) === SECTION_HEADER &&
    (order === BYTE_ORDER_MAGIC || order === 0x4d3c2b1a)
  );
}

function readU32(bytes: Uint8Array, offset: number, little: boolean): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, little);
}

/**
 * Frames a pcapng file: sections (each with its own byte order), interface descriptions
 * (link type, if_tsresol, if_tsoffset) and the enhanced, simple and obsolete packet
 * blocks; other blocks are stepped over by their length.
 */
export class PcapngFramer implements Framer {
  readonly format = 'pcapng';
  /** The section header is a block like any other: consume reads it. */
  readonly headerLength = 0;
  stopped = false;
  private little = true;
  private interfaces: Interface[] = [];
  private packets = 0;
  private position = 0;
  private lastTime = 0;

  constructor(
    private readonly report: ReadReport,
    private readonly decoder: PacketDecoder,
  ) {}

  start(): void {
    this.position = 0;
  }

  consume(bytes: Uint8Array): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.decoder.setBuffer(bytes);
    let offset = 0;

    while (!this.stopped && bytes.length - offset >= 12) {
      const type = view.getUint32(offset, this.little);
      if (type === SECTION_HEADER && !this.startSection(view, offset)) break;

      const length = view.getUint32(offset + 4, this.little);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK) {
        this.stop(
          `block length ${length} is impossible (a multiple of 4 from 12 to ${MAX_BLOCK})`,
          offset,
        );
        break;
      }
      if (bytes.length - offset < length) break;

      this.readBlock(view, type, offset, length);
      offset += length;
    }

    this.position += offset;
    return offset;
  }

  finish(leftover: number): void {
    if (leftover === 0 || this.stopped) return;
    reject(
      this.report,
      this.packets + 1,
      `Cannot read the block at byte ${this.position}: the file ends ${leftover} bytes into it; the capture was cut short`,
    );
  }

  private startSection(view: DataView, offset: number): boolean {
    const order = view.getUint32(offset + 8, false);
    if (order !== BYTE_ORDER_MAGIC && order !== 0x4d3c2b1a) {
      this.stop(
        `section header has byte-order magic 0x${order.toString(16)}; expected 0x1a2b3c4d`,
        offset,
      );
      return false;
    }
    this.little = order !== BYTE_ORDER_MAGIC;
    this.interfaces = [];
    return true;
  }

  private readBlock(view: DataView, type: number, offset: number, length: number): void {
    const minimum = MINIMUM_LENGTH.get(type) ?? 12;
    if (length < minimum) {
      const packet = type === INTERFACE_DESCRIPTION ? this.packets + 1 : this.countPacket();
      this.rejectPacket(
        packet,
        `block type ${type} has length ${length}; it needs at least ${minimum}`,
      );
      return;
    }
    switch (type) {
      case SECTION_HEADER:
        return;
      case INTERFACE_DESCRIPTION:
        this.interfaces.push(this.parseInterface(view, offset, length));
        return;
      case ENHANCED_PACKET:
        this.readPacket(view, offset, length, view.getUint32(offset + 8, this.little));
        return;
      case PACKET_OBSOLETE:
        this.readPacket(view, offset, length, view.getUint16(offset + 8, this.little));
        return;
      case SIMPLE_PACKET:
        this.readSimplePacket(view, offset, length);
        return;
      default:
        return;
    }
  }

  private parseInterface(view: DataView, offset: number, length: number): Interface {
    const linkType = view.getUint16(offset + 8, this.little);
    const snaplen = view.getUint32(offset + 12, this.little);
    let unitsPerMs = 1000;
    let offsetMs = 0;

    // Options: code (2), length (2), value padded to 4; opt_endofopt (0) ends them.
    let option = offset + 16;
    const end = offset + length - 4;
    while (end - option >= 4) {
      const code = view.getUint16(option, this.little);
      const size = view.getUint16(option + 2, this.little);
      if (code === 0 || option + 4 + size > end) break;
      if (code === 9 && size >= 1) unitsPerMs = parseTsresol(view.getUint8(option + 4));
      if (code === 14 && size >= 8) {
        offsetMs = Number(view.getBigInt64(option + 4, this.little)) * 1000;
      }
      option += 4 + ((size + 3) & ~3);
    }
    return { linkType, unitsPerMs, offsetMs, snaplen };
  }

  // Enhanced and obsolete packet blocks share the layout after the interface id:
  // timestamp high and low words, captured length, original length, data.
  private readPacket(view: DataView, offset: number, length: number, interfaceId: number): void {
    const timestampAt = 12;
    const packet = this.countPacket();
    const known = this.interfaces[interfaceId];
    if (known === undefined) {
      this.rejectPacket(
        packet,
        `interface ${interfaceId} is not described by an interface block; the section describes ${this.interfaces.length}`,
      );
      return;
    }

    const high = view.getUint32(offset + timestampAt, this.little);
    const low = view.getUint32(offset + timestampAt + 4, this.little);
    const captured = view.getUint32(offset + timestampAt + 8, this.little);
    const data = offset + timestampAt + 16;
    if (captured > offset + length - 4 - data) {
      this.rejectPacket(packet, `captured length ${captured} exceeds its block of ${length} bytes`);
      return;
    }

    // high * 2^32 + low overflows 2^53 for nanosecond clocks: scale each word first.
    const time = (high * 4294967296) / known.unitsPerMs + low / known.unitsPerMs + known.offsetMs;
    this.lastTime = time;
    this.decoder.decode(known.linkType, data, data + captured, time, packet);
  }

  // A simple packet block has no interface id (it is interface 0) and no timestamp;
  // the packet takes the time of the packet before it.
  private readSimplePacket(view: DataView, offset: number, length: number): void {
    const packet = this.countPacket();
    const known = this.interfaces[0];
    if (known === undefined) {
      this.rejectPacket(packet, 'simple packet block comes before any interface block');
      return;
    }
    const original = view.getUint32(offset + 8, this.little);
    const room = length - 16;
    const captured = Math.min(original, room, known.snaplen === 0 ? room : known.snaplen);
    this.decoder.decode(known.linkType, offset + 12, offset + 12 + captured, this.lastTime, packet);
  }

  private countPacket(): number {
    this.packets += 1;
    this.report.read += 1;
    return this.packets;
  }

  private rejectPacket(packet: number, problem: string): void {
    reject(this.report, packet, `Cannot read packet ${packet}: ${problem}`);
  }

  private stop(problem: string, offset: number): void {
    this.stopped = true;
    const at = this.position + offset;
    reject(
      this.report,
      this.packets + 1,
      `Cannot read the block at byte ${at}: ${problem}; the file is corrupt from here, packets before it are kept`,
    );
  }
}

/** if_tsresol: a power of ten, or of two when the top bit is set. */
function parseTsresol(value: number): number {
  const exponent = value & 0x7f;
  const unitsPerSecond = (value & 0x80) !== 0 ? 2 ** exponent : 10 ** exponent;
  return unitsPerSecond / 1000;
}
