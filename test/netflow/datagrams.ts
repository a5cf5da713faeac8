import ipaddr from 'ipaddr.js';

/** A template field for test datagrams: element, length (65535 = variable), enterprise. */
export type FieldForTest = readonly [element: number, length: number, enterprise?: number];

/** A value of a data record field: a number, an address text, or raw bytes. */
export type ValueForTest = number | string | Uint8Array;

/** One set (IPFIX) or flowset (v9) of a test datagram. */
export type SetForTest =
  | { readonly kind: 'template'; readonly id: number; readonly fields: readonly FieldForTest[] }
  | {
      readonly kind: 'options-template';
      readonly id: number;
      readonly scope: readonly FieldForTest[];
      readonly fields: readonly FieldForTest[];
    }
  | {
      readonly kind: 'data';
      readonly id: number;
      readonly fields: readonly FieldForTest[];
      readonly records: readonly (readonly ValueForTest[])[];
    }
  | {
      readonly kind: 'raw';
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly length?: number;
    };

/** Header fields of a test datagram; all default to small fixed values. */
export interface HeaderForTest {
  readonly sysUptime?: number;
  readonly unixSecs?: number;
  readonly sequence?: number;
  readonly domain?: number;
  /** Override the IPFIX header length (to build lies). */
  readonly length?: number;
}

/** The usual IPv4 5-tuple + counters template (IANA elements). */
export const FLOW_FIELDS_FOR_TEST: readonly FieldForTest[] = [
  [8, 4],
  [12, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [2, 4],
  [1, 4],
  [22, 4],
  [21, 4],
  [6, 1],
];

class Writer {
  private readonly bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  uint(value: number, length: number): this {
    for (let i = length - 1; i >= 0; i--) this.bytes.push(Math.floor(value / 2 ** (8 * i)) % 256);
    return this;
  }
  raw(data: Uint8Array | readonly number[]): this {
    for (const b of data) this.bytes.push(b);
    return this;
  }
  patch16(at: number, value: number): void {
    this.bytes[at] = value >> 8;
    this.bytes[at + 1] = value & 255;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function writeValue(out: Writer, value: ValueForTest, length: number): void {
  if (value instanceof Uint8Array) {
    if (length === 65535) {
      if (value.length < 255) out.uint(value.length, 1);
      else out.uint(255, 1).uint(value.length, 2);
    }
    out.raw(value);
  } else if (typeof value === 'string') {
    out.raw(ipaddr.parse(value).toByteArray());
  } else {
    out.uint(value, length);
  }
}

function writeField(
  out: Writer,
  [element, length, enterprise]: FieldForTest,
  ipfix: boolean,
): void {
  if (ipfix && enterprise !== undefined)
    out
      .uint(element | 0x8000, 2)
      .uint(length, 2)
      .uint(enterprise, 4);
  else out.uint(element, 2).uint(length, 2);
}

function writeSet(out: Writer, set: SetForTest, ipfix: boolean): void {
  const start = out.length;
  const templateSetId = ipfix ? 2 : 0;
  const optionsSetId = ipfix ? 3 : 1;
  switch (set.kind) {
    case 'template':
      out.uint(templateSetId, 2).uint(0, 2).uint(set.id, 2).uint(set.fields.length, 2);
      for (const field of set.fields) writeField(out, field, ipfix);
      break;
    case 'options-template':
      out.uint(optionsSetId, 2).uint(0, 2).uint(set.id, 2);
      if (ipfix) out.uint(set.scope.length + set.fields.length, 2).uint(set.scope.length, 2);
      else out.uint(set.scope.length * 4, 2).uint(set.fields.length * 4, 2);
      for (const field of [...set.scope, ...set.fields]) writeField(out, field, ipfix);
      break;
    case 'data':
      out.uint(set.id, 2).uint(0, 2);
      for (const record of set.records) {
        record.forEach((value, i) => {
          writeValue(out, value, set.fields[i]?.[1] ?? 4);
        });
      }
      break;
    case 'raw':
      out
        .uint(set.id, 2)
        .uint(set.length ?? set.bytes.length + 4, 2)
        .raw(set.bytes);
      return;
  }
  out.patch16(start + 2, out.length - start);
}

/** Builds a NetFlow v9 export packet from sets. */
export function buildV9ForTest(header: HeaderForTest, sets: readonly SetForTest[]): Uint8Array {
  const out = new Writer()
    .uint(9, 2)
    .uint(sets.length, 2)
    .uint(header.sysUptime ?? 100_000, 4)
    .uint(header.unixSecs ?? 1_700_000_000, 4)
    .uint(header.sequence ?? 0, 4)
    .uint(header.domain ?? 0, 4);
  for (const set of sets) writeSet(out, set, false);
  return out.done();
}

/** Builds an IPFIX message from sets. */
export function buildIpfixForTest(header: HeaderForTest, sets: readonly SetForTest[]): Uint8Array {
  const out = new Writer()
    .uint(10, 2)
    .uint(0, 2)
    .uint(header.unixSecs ?? 1_700_000_000, 4)
    .uint(header.sequence ?? 0, 4)
    .uint(header.domain ?? 0, 4);
  for (const set of sets) writeSet(out, set, true);
  out.patch16(2, header.length ?? out.length);
  return out.done();
}

/** One v5 record for tests. */
export interface V5RecordForTest {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly first?: number;
  readonly last?: number;
  readonly tcpFlags?: number;
}

/** Builds a NetFlow v5 datagram; `count` overrides the header's record count. */
export function buildV5ForTest(
  header: HeaderForTest & { readonly sampling?: number; readonly count?: number },
  records: readonly V5RecordForTest[],
): Uint8Array {
  const out = new Writer()
    .uint(5, 2)
    .uint(header.count ?? records.length, 2)
    .uint(header.sysUptime ?? 100_000, 4)
    .uint(header.unixSecs ?? 1_700_000_000, 4)
    .uint(0, 4)
    .uint(header.sequence ?? 0, 4)
    .uint(header.domain ?? 0, 2)
    .uint(header.sampling ?? 0, 2);
  for (const r of records) {
    writeValue(out, r.src, 4);
    writeValue(out, r.dst, 4);
    out.uint(0, 4).uint(0, 2).uint(0, 2).uint(r.packets, 4).uint(r.bytes, 4);
    out
      .uint(r.first ?? 90_000, 4)
      .uint(r.last ?? 95_000, 4)
      .uint(r.srcPort, 2)
      .uint(r.dstPort, 2);
    out
      .uint(0, 1)
      .uint(r.tcpFlags ?? 0, 1)
      .uint(r.protocol, 1)
      .uint(0, 1)
      .uint(0, 4)
      .uint(0, 4);
  }
  return out.done();
}
