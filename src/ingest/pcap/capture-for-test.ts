import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAddress } from '../../domain/index.js';

// Builders of tiny captures for tests: frames from headers, then pcap or pcapng files.
// Checksums are left zero: the reader does not verify them (as zeek -C).

/** Concatenates byte arrays. */
export function bytesForTest(...parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

function u16(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}

function u32(value: number): number[] {
  return [...u16(Math.floor(value / 65536) & 0xffff), ...u16(value & 0xffff)];
}

/** The bytes of an IPv4 or IPv6 address. */
export function addressBytesForTest(text: string): number[] {
  if (!text.includes(':')) return text.split('.').map(Number);
  const groups = parseAddress(text).split(':');
  const gap = groups.indexOf('');
  const expanded =
    gap < 0
      ? groups
      : [
          ...groups.slice(0, gap),
          ...Array<string>(9 - groups.length).fill('0'),
          ...groups.slice(gap + 1),
        ].map((group) => (group === '' ? '0' : group));
  return expanded.slice(0, 8).flatMap((group) => u16(parseInt(group, 16)));
}

/** TCP flag bits. */
export const TCP_FOR_TEST = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

/** A 20-byte TCP header (and payload). */
export function tcpForTest(
  srcPort: number,
  dstPort: number,
  flags: number,
  payload = 0,
): Uint8Array {
  return bytesForTest(
    u16(srcPort),
    u16(dstPort),
    u32(1),
    u32(0),
    [0x50, flags],
    u16(65535),
    [0, 0, 0, 0],
    new Uint8Array(payload),
  );
}

/** An 8-byte UDP header with `payload`. */
export function udpForTest(
  srcPort: number,
  dstPort: number,
  payload: Uint8Array | number = 0,
): Uint8Array {
  const data = typeof payload === 'number' ? new Uint8Array(payload) : payload;
  return bytesForTest(u16(srcPort), u16(dstPort), u16(8 + data.length), [0, 0], data);
}

/** An ICMP or ICMPv6 header (echo id in bytes 4-5). */
export function icmpForTest(type: number, code: number, id = 0): Uint8Array {
  return bytesForTest([type, code, 0, 0], u16(id), u16(1));
}

/** Options of an IPv4 header. */
export interface Ipv4ForTest {
  readonly id?: number;
  readonly moreFragments?: boolean;
  /** In 8-byte units. */
  readonly fragmentOffset?: number;
  /** Option bytes, a multiple of 4. */
  readonly options?: readonly number[];
  /** Overrides the total length field. */
  readonly totalLength?: number;
}

/** An IPv4 packet around `payload`. */
export function ipv4ForTest(
  src: string,
  dst: string,
  protocol: number,
  payload: Uint8Array,
  options: Ipv4ForTest = {},
): Uint8Array {
  const extra = options.options ?? [];
  const headerLength = 20 + extra.length;
  const flags = (options.moreFragments ? 0x2000 : 0) | (options.fragmentOffset ?? 0);
  return bytesForTest(
    [0x40 | (headerLength / 4), 0],
    u16(options.totalLength ?? headerLength + payload.length),
    u16(options.id ?? 1),
    u16(flags),
    [64, protocol, 0, 0],
    addressBytesForTest(src),
    addressBytesForTest(dst),
    extra,
    payload,
  );
}

/** An IPv6 extension header: its type and its bytes (next header byte filled in). */
export interface ExtensionForTest {
  readonly type: number;
  readonly body: readonly number[];
}

/** An IPv6 packet around `payload`, behind extension headers. */
export function ipv6ForTest(
  src: string,
  dst: string,
  protocol: number,
  payload: Uint8Array,
  extensions: readonly ExtensionForTest[] = [],
): Uint8Array {
  const chain: number[] = [];
  extensions.forEach((extension, i) => {
    const next = extensions[i + 1]?.type ?? protocol;
    chain.push(next, ...extension.body.slice(1));
  });
  const first = extensions[0]?.type ?? protocol;
  return bytesForTest(
    [0x60, 0, 0, 0],
    u16(chain.length + payload.length),
    [first, 64],
    addressBytesForTest(src),
    addressBytesForTest(dst),
    chain,
    payload,
  );
}

/** An Ethernet frame: `tags` are [tpid, tci] pairs put before the payload's EtherType. */
export function ethernetForTest(
  etherType: number,
  payload: Uint8Array,
  tags: readonly (readonly [number, number])[] = [],
): Uint8Array {
  const mac = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
  const tagBytes = tags.flatMap(([tpid, tci]) => [...u16(tpid), ...u16(tci)]);
  return bytesForTest(mac, tagBytes, u16(etherType), payload);
}

/** One packet of a capture: time in ms since the epoch and the frame. */
export interface PacketForTest {
  readonly time: number;
  readonly frame: Uint8Array;
  /** pcapng only: the interface the packet was captured on. */
  readonly iface?: number;
}

/** Options of a classic pcap file. */
export interface PcapForTest {
  readonly linkType?: number;
  readonly nanoseconds?: boolean;
  readonly bigEndian?: boolean;
}

/** A classic pcap file. */
export function pcapForTest(packets: readonly PacketForTest[], options: PcapForTest = {}): Buffer {
  const little = !options.bigEndian;
  const units = options.nanoseconds ? 1e9 : 1e6;
  const header = Buffer.alloc(24);
  const write = (buffer: Buffer, offset: number, value: number): void => {
    if (little) buffer.writeUInt32LE(value, offset);
    else buffer.writeUInt32BE(value, offset);
  };
  write(header, 0, options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  if (!little) {
    header.writeUInt16BE(2, 4);
    header.writeUInt16BE(4, 6);
  }
  write(header, 16, 65535);
  write(header, 20, options.linkType ?? 1);

  const records = packets.map(({ time, frame }) => {
    const record = Buffer.alloc(16);
    const seconds = Math.floor(time / 1000);
    write(record, 0, seconds);
    write(record, 4, Math.round(((time - seconds * 1000) / 1000) * units));
    write(record, 8, frame.length);
    write(record, 12, frame.length);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

/** One pcapng interface: link type and if_tsresol (a power of ten when below 128). */
export interface InterfaceForTest {
  readonly linkType: number;
  readonly tsresol?: number;
}

function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const length = padded.length + 12;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(length, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(length, 0);
  return Buffer.concat([head, padded, tail]);
}

/** A little-endian pcapng section: header, interfaces, then enhanced packet blocks. */
export function pcapngForTest(
  interfaces: readonly InterfaceForTest[],
  packets: readonly PacketForTest[],
): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeInt32LE(-1, 8);
  shb.writeInt32LE(-1, 12);

  const idbs = interfaces.map(({ linkType, tsresol }) => {
    const fixed = Buffer.alloc(8);
    fixed.writeUInt16LE(linkType, 0);
    fixed.writeUInt32LE(0, 4);
    if (tsresol === undefined) return block(1, fixed);
    const option = Buffer.from([9, 0, 1, 0, tsresol, 0, 0, 0, 0, 0, 0, 0]);
    return block(1, Buffer.concat([fixed, option]));
  });

  const epbs = packets.map(({ time, frame, iface = 0 }) => {
    const resolution = interfaces[iface]?.tsresol ?? 6;
    const units = (BigInt(Math.round(time * 1000)) * 10n ** BigInt(resolution)) / 1_000_000n;
    const fixed = Buffer.alloc(20);
    fixed.writeUInt32LE(iface, 0);
    fixed.writeUInt32LE(Number(units >> 32n), 4);
    fixed.writeUInt32LE(Number(units & 0xffffffffn), 8);
    fixed.writeUInt32LE(frame.length, 12);
    fixed.writeUInt32LE(frame.length, 16);
    return block(6, Buffer.concat([fixed, frame]));
  });

  return Buffer.concat([block(0x0a0d0d0a, shb), ...idbs, ...epbs]);
}

/** Writes bytes to a fresh temporary file and returns its path. */
export async function writeCaptureForTest(name: string, bytes: Uint8Array): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'bulkhead-pcap-'));
  const file = join(folder, name);
  await writeFile(file, bytes);
  return file;
}
