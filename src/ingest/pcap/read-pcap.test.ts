import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError, type Flow } from '../../domain/index.js';
import {
  bytesForTest,
  ethernetForTest,
  icmpForTest,
  ipv4ForTest,
  ipv6ForTest,
  pcapForTest,
  pcapngForTest,
  TCP_FOR_TEST,
  tcpForTest,
  udpForTest,
  writeCaptureForTest,
  type PacketForTest,
} from './capture-for-test.js';
import { readPcap, type PcapReadOptions } from './index.js';

const { SYN, ACK, FIN, RST, PSH } = TCP_FOR_TEST;
const T0 = 1_700_000_000_000;
const A = '198.18.0.1';
const B = '198.18.0.2';

async function readForTest(bytes: Uint8Array, options?: PcapReadOptions, name = 'test.pcap') {
  const file = await writeCaptureForTest(name, bytes);
  const flows: Flow[] = [];
  const report = await readPcap(file, (flow) => flows.push(flow), options);
  return { file, flows, report };
}

function tcp4(src: string, dst: string, sport: number, dport: number, flags: number): Uint8Array {
  return ethernetForTest(0x0800, ipv4ForTest(src, dst, 6, tcpForTest(sport, dport, flags)));
}

function udp4(src: string, dst: string, sport: number, dport: number): Uint8Array {
  return ethernetForTest(0x0800, ipv4ForTest(src, dst, 17, udpForTest(sport, dport, 4)));
}

function at(seconds: number, frame: Uint8Array): PacketForTest {
  return { time: T0 + seconds * 1000, frame };
}

function tuple(flow: Flow): string {
  return `${flow.src}:${flow.srcPort} > ${flow.dst}:${flow.dstPort} ${flow.protocol}`;
}

describe('readPcap() on malformed files', () => {
  it.each([
    {
      name: 'text instead of a capture',
      bytes: Buffer.from('hello, this is not a capture file'),
      message: /starts with bytes 68656c6c6f2c2074.*expected a pcap magic number/,
    },
    { name: 'an empty file', bytes: Buffer.alloc(0), message: /nothing \(the file is empty\)/ },
    {
      name: 'a pcap header cut at 10 bytes',
      bytes: pcapForTest([]).subarray(0, 10),
      message: /file header needs 24 bytes, found 10/,
    },
    {
      name: 'gzip of text',
      bytes: gzipSync(Buffer.from('not a capture either, only gzip')),
      message: /gzip, whose content does not decompress to a capture/,
    },
  ])('throws an InputError naming the file and the bytes for $name', async ({ bytes, message }) => {
    const file = await writeCaptureForTest('bad.pcap', bytes);
    const error = await readPcap(file, () => undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toMatch(message);
    expect(String(error)).toContain(file);
  });

  it('throws an InputError naming a missing file', async () => {
    await expect(readPcap('/nonexistent/capture.pcap', () => undefined)).rejects.toThrow(
      /Cannot open capture \/nonexistent\/capture\.pcap/,
    );
  });

  it.each([
    {
      name: 'a last record cut short',
      bytes: () => {
        const whole = pcapForTest([at(0, udp4(A, B, 1000, 53)), at(1, udp4(A, B, 1000, 53))]);
        return whole.subarray(0, whole.length - 10);
      },
      line: 2,
      message: /packet 2 at byte \d+: the file ends \d+ bytes into the record/,
      flows: 1,
    },
    {
      name: 'an impossible captured length',
      bytes: () => {
        const whole = pcapForTest([at(0, udp4(A, B, 1000, 53)), at(1, udp4(A, B, 1000, 53))]);
        const second = 24 + 16 + udp4(A, B, 1000, 53).length;
        whole.writeUInt32LE(0xffffffff, second + 8);
        return whole;
      },
      line: 2,
      message: /packet 2 at byte \d+: captured length 4294967295 exceeds the limit/,
      flows: 1,
    },
    {
      name: 'an unknown link type',
      bytes: () => pcapForTest([at(0, udp4(A, B, 1000, 53))], { linkType: 147 }),
      line: 1,
      message: /packet 1: link type 147 is not supported; supported link types are 0, 1/,
      flows: 0,
    },
    {
      name: 'a truncated TCP header between good packets',
      bytes: () =>
        pcapForTest([
          at(0, tcp4(A, B, 40000, 443, SYN)),
          at(1, ethernetForTest(0x0800, ipv4ForTest(A, B, 6, new Uint8Array(6)))),
          at(2, tcp4(B, A, 443, 40000, SYN | ACK)),
        ]),
      line: 2,
      message: /packet 2: TCP header needs 14 bytes for ports and flags, found 6/,
      flows: 1,
    },
    {
      name: 'an IPv4 header length of 12',
      bytes: () => {
        const frame = udp4(A, B, 1, 2);
        frame[14] = 0x43;
        return pcapForTest([at(0, frame), at(1, udp4(A, B, 1, 2))]);
      },
      line: 1,
      message: /packet 1: IPv4 header length is 12; the minimum is 20/,
      flows: 1,
    },
    {
      name: 'an Ethernet header cut at 9 bytes',
      bytes: () => pcapForTest([at(0, new Uint8Array(9)), at(1, udp4(A, B, 1, 2))]),
      line: 1,
      message: /packet 1: Ethernet header needs 14 bytes, found 9/,
      flows: 1,
    },
    {
      name: 'a truncated IPv6 extension header',
      bytes: () => {
        const packet = ipv6ForTest('2001:db8::1', '2001:db8::2', 17, new Uint8Array(0), [
          { type: 60, body: [0, 1, 0, 0, 0, 0, 0, 0] },
        ]);
        return pcapForTest([at(0, ethernetForTest(0x86dd, packet))]);
      },
      line: 1,
      message: /packet 1: IPv6 extension header 60 needs 16 bytes, found 8/,
      flows: 0,
    },
    {
      name: 'a pcapng block with an impossible length',
      bytes: () => {
        const good = pcapngForTest([{ linkType: 1 }], [at(0, udp4(A, B, 1, 2))]);
        const bad = Buffer.from([6, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0]);
        return Buffer.concat([good, bad]);
      },
      line: 2,
      message: /block at byte \d+: block length 7 is impossible/,
      flows: 1,
    },
    {
      name: 'a pcapng packet on an undescribed interface',
      bytes: () =>
        pcapngForTest(
          [{ linkType: 1 }],
          [at(0, udp4(A, B, 1, 2)), { ...at(1, udp4(A, B, 1, 2)), iface: 3 }],
        ),
      line: 2,
      message: /packet 2: interface 3 is not described by an interface block/,
      flows: 1,
    },
  ])('rejects $name with the packet number and keeps good flows', async (row) => {
    const { file, flows, report } = await readForTest(row.bytes());
    expect(report.rejected).toBe(1);
    expect(report.issues[0]?.file).toBe(file);
    expect(report.issues[0]?.line).toBe(row.line);
    expect(report.issues[0]?.message).toMatch(row.message);
    expect(flows).toHaveLength(row.flows);
  });
});

const V6A = '2001:db8::1';
const V6B = '2001:db8::2';
const tcpSyn4 = ipv4ForTest(A, B, 6, tcpForTest(40000, 443, SYN));
const tcpSyn6 = ipv6ForTest(V6A, V6B, 6, tcpForTest(40000, 443, SYN));
const mpls = (bottom: boolean) => [0, 0x10, bottom ? 0x01 : 0x00, 64];
const sll = (protocol: number) =>
  bytesForTest([0, 0, 0, 1, 0, 6], new Uint8Array(8), [protocol >> 8, protocol & 0xff]);
const sll2 = (protocol: number) =>
  bytesForTest([protocol >> 8, protocol & 0xff], new Uint8Array(18));

describe('readPcap() link types and encapsulations', () => {
  it.each([
    { name: 'Ethernet', linkType: 1, frame: ethernetForTest(0x0800, tcpSyn4) },
    { name: 'Ethernet IPv6', linkType: 1, frame: ethernetForTest(0x86dd, tcpSyn6), v6: true },
    { name: '802.1Q', linkType: 1, frame: ethernetForTest(0x0800, tcpSyn4, [[0x8100, 10]]) },
    {
      name: 'QinQ 0x88a8',
      linkType: 1,
      frame: ethernetForTest(0x0800, tcpSyn4, [
        [0x88a8, 100],
        [0x8100, 10],
      ]),
    },
    {
      name: 'QinQ 0x9100',
      linkType: 1,
      frame: ethernetForTest(0x86dd, tcpSyn6, [
        [0x9100, 100],
        [0x8100, 10],
      ]),
      v6: true,
    },
    {
      name: 'MPLS unicast',
      linkType: 1,
      frame: ethernetForTest(0x8847, bytesForTest(mpls(false), mpls(true), tcpSyn4)),
    },
    {
      name: 'MPLS multicast',
      linkType: 1,
      frame: ethernetForTest(0x8848, bytesForTest(mpls(true), tcpSyn6)),
      v6: true,
    },
    {
      name: 'PPPoE session',
      linkType: 1,
      frame: ethernetForTest(0x8864, bytesForTest([0x11, 0, 0, 1, 0, 0], [0, 0x21], tcpSyn4)),
    },
    {
      name: 'Cisco FabricPath',
      linkType: 1,
      frame: ethernetForTest(0x8903, bytesForTest([0, 0], new Uint8Array(12), [8, 0], tcpSyn4)),
    },
    { name: 'raw IP (101) IPv4', linkType: 101, frame: tcpSyn4 },
    { name: 'raw IP (101) IPv6', linkType: 101, frame: tcpSyn6, v6: true },
    { name: 'raw IPv4 (228)', linkType: 228, frame: tcpSyn4 },
    { name: 'raw IPv6 (229)', linkType: 229, frame: tcpSyn6, v6: true },
    { name: 'Linux SLL (113)', linkType: 113, frame: bytesForTest(sll(0x0800), tcpSyn4) },
    {
      name: 'Linux SLL2 (276)',
      linkType: 276,
      frame: bytesForTest(sll2(0x86dd), tcpSyn6),
      v6: true,
    },
    {
      name: 'BSD null (0), little-endian AF_INET',
      linkType: 0,
      frame: bytesForTest([2, 0, 0, 0], tcpSyn4),
    },
    {
      name: 'BSD loop (108), AF_INET6 30',
      linkType: 108,
      frame: bytesForTest([0, 0, 0, 30], tcpSyn6),
      v6: true,
    },
  ])('reads a SYN over $name', async ({ linkType, frame, v6 }) => {
    const { flows, report } = await readForTest(pcapForTest([at(0, frame)], { linkType }));
    expect(report.rejected).toBe(0);
    expect(flows.map(tuple)).toEqual([`${v6 ? V6A : A}:40000 > ${v6 ? V6B : B}:443 6`]);
    expect(flows[0]?.origin).toBe('handshake');
  });

  it('skips ARP and MPLS pseudowires as not IP', async () => {
    const arp = ethernetForTest(0x0806, new Uint8Array(28));
    const pseudowire = ethernetForTest(
      0x8847,
      bytesForTest(mpls(true), [0, 0, 0, 0], new Uint8Array(30)),
    );
    const { flows, report } = await readForTest(pcapForTest([at(0, arp), at(1, pseudowire)]));
    expect(flows).toEqual([]);
    expect(report.skipped).toEqual({ 'not IP': 1, 'MPLS payload not IP': 1 });
    expect(report.read).toBe(2);
  });

  it.each([
    { name: 'little-endian microseconds', options: {} },
    { name: 'big-endian nanoseconds', options: { bigEndian: true, nanoseconds: true } },
  ])('reads timestamps of $name pcap in ms since the epoch', async ({ options }) => {
    const packets = [at(0.25, udp4(A, B, 1, 2)), at(1.5, udp4(B, A, 2, 1))];
    const { flows, report } = await readForTest(pcapForTest(packets, options));
    expect(report.format).toBe('pcap');
    expect(flows[0]?.start).toBeCloseTo(T0 + 250, 3);
    expect(flows[0]?.end).toBeCloseTo(T0 + 1500, 3);
  });

  it('reads pcapng with interfaces of different link types and resolutions', async () => {
    const bytes = pcapngForTest(
      [{ linkType: 1 }, { linkType: 101, tsresol: 9 }],
      [
        at(0, udp4(A, B, 1000, 53)),
        { ...at(2, ipv4ForTest(B, A, 17, udpForTest(53, 1000))), iface: 1 },
      ],
    );
    const { flows, report } = await readForTest(bytes, {}, 'test.pcapng');
    expect(report.format).toBe('pcapng');
    expect(flows.map(tuple)).toEqual([`${A}:1000 > ${B}:53 17`]);
    expect(flows[0]).toMatchObject({ packets: 1, packetsReverse: 1, start: T0, end: T0 + 2000 });
  });

  it('reads several pcapng sections, each with its own interfaces', async () => {
    const first = pcapngForTest([{ linkType: 1 }], [at(0, udp4(A, B, 1000, 53))]);
    const second = pcapngForTest(
      [{ linkType: 228 }],
      [at(1, ipv4ForTest(B, A, 17, udpForTest(53, 1000)))],
    );
    const { flows, report } = await readForTest(Buffer.concat([first, second]), {}, 'two.pcapng');
    expect(report.rejected).toBe(0);
    expect(flows[0]).toMatchObject({ packets: 1, packetsReverse: 1 });
  });

  it('reads gzip-compressed captures', async () => {
    const bytes = gzipSync(pcapForTest([at(0, udp4(A, B, 1, 2))]));
    const { flows } = await readForTest(bytes, {}, 'test.pcap.gz');
    expect(flows.map(tuple)).toEqual([`${A}:1 > ${B}:2 17`]);
  });
});

const vxlan = (inner: Uint8Array) =>
  udpForTest(50000, 4789, bytesForTest([0x08, 0, 0, 0, 0, 0, 1, 0], inner));
const innerPing = ethernetForTest(
  0x0800,
  ipv4ForTest('10.0.0.1', '10.0.0.2', 1, icmpForTest(8, 0, 7)),
);

describe('readPcap() tunnels: the outer and the inner conversation, as Zeek logs them', () => {
  it.each([
    {
      name: 'VXLAN',
      outer: ipv4ForTest(A, B, 17, vxlan(innerPing)),
      want: [`${A}:50000 > ${B}:4789 17`, '10.0.0.1:0 > 10.0.0.2:8 1'],
    },
    {
      name: 'Geneve',
      outer: ipv4ForTest(
        A,
        B,
        17,
        udpForTest(50000, 6081, bytesForTest([0, 0, 0x65, 0x58, 0, 0, 1, 0], innerPing)),
      ),
      want: [`${A}:50000 > ${B}:6081 17`, '10.0.0.1:0 > 10.0.0.2:8 1'],
    },
    {
      name: 'GRE',
      outer: ipv4ForTest(A, B, 47, bytesForTest([0, 0, 0x08, 0x00], innerPing.subarray(14))),
      want: [`${A}:0 > ${B}:0 47`, '10.0.0.1:0 > 10.0.0.2:8 1'],
    },
    {
      name: 'IP in IP',
      outer: ipv4ForTest(A, B, 4, innerPing.subarray(14)),
      want: [`${A}:0 > ${B}:0 4`, '10.0.0.1:0 > 10.0.0.2:8 1'],
    },
    {
      name: 'Teredo on a port other than 3544',
      outer: ipv4ForTest(
        A,
        B,
        17,
        udpForTest(3797, 32900, ipv6ForTest('2001:0:4137::1', V6B, 58, icmpForTest(128, 0, 1))),
      ),
      want: [`${A}:3797 > ${B}:32900 17`, `2001:0:4137::1:0 > ${V6B}:128 58`],
    },
  ])('reads $name', async ({ outer, want }) => {
    const { flows, report } = await readForTest(
      pcapForTest([at(0, ethernetForTest(0x0800, outer))]),
    );
    expect(report.rejected).toBe(0);
    expect(flows.map(tuple).sort()).toEqual([...want].sort());
  });
});

describe('readPcap() conversations', () => {
  it('takes the SYN sender as src with origin handshake and counts both ways', async () => {
    const { flows } = await readForTest(
      pcapForTest([
        at(0, tcp4(A, B, 40000, 443, SYN)),
        at(0.1, tcp4(B, A, 443, 40000, SYN | ACK)),
        at(0.2, tcp4(A, B, 40000, 443, ACK | PSH)),
      ]),
    );
    expect(flows).toEqual([
      {
        src: A,
        dst: B,
        srcPort: 40000,
        dstPort: 443,
        protocol: 6,
        start: T0,
        end: T0 + 200,
        packets: 2,
        bytes: 80,
        packetsReverse: 1,
        bytesReverse: 40,
        origin: 'handshake',
        tcpFlags: SYN | ACK | PSH,
      },
    ]);
  });

  it.each([
    {
      name: 'a SYN-ACK first flips src to its receiver',
      first: tcp4(B, A, 443, 40000, SYN | ACK),
      origin: 'handshake',
    },
    {
      name: 'a mid-session packet keeps its sender with origin unknown',
      first: tcp4(B, A, 443, 40000, ACK),
      origin: 'unknown',
    },
  ])('$name', async ({ first, origin }) => {
    const { flows } = await readForTest(
      pcapForTest([at(0, first), at(1, tcp4(A, B, 40000, 443, ACK))]),
    );
    const want = origin === 'handshake' ? `${A}:40000 > ${B}:443 6` : `${B}:443 > ${A}:40000 6`;
    expect(flows.map(tuple)).toEqual([want]);
    expect(flows[0]?.origin).toBe(origin);
  });

  it.each([
    { name: 'splits UDP idle for more than 1 minute', gap: 61, options: {}, flows: 2 },
    {
      name: 'keeps UDP together within a longer timeout',
      gap: 61,
      options: { idleTimeoutMs: { udp: 120_000 } },
      flows: 1,
    },
    { name: 'keeps UDP together within 1 minute', gap: 59, options: {}, flows: 1 },
  ])('$name', async ({ gap, options, flows: count }) => {
    const packets = [at(0, udp4(A, B, 5000, 53)), at(gap, udp4(A, B, 5000, 53))];
    const { flows } = await readForTest(pcapForTest(packets), options);
    expect(flows).toHaveLength(count);
  });

  it.each([
    {
      name: 'FIN both ways then a new SYN',
      closing: [tcp4(A, B, 40000, 80, FIN | ACK), tcp4(B, A, 80, 40000, FIN | ACK)],
      flows: 2,
    },
    { name: 'RST then a new SYN', closing: [tcp4(B, A, 80, 40000, RST)], flows: 2 },
    { name: 'FIN one way only, then a SYN', closing: [tcp4(A, B, 40000, 80, FIN | ACK)], flows: 1 },
  ])('$name gives $flows conversations', async ({ closing, flows: count }) => {
    const packets = [
      at(0, tcp4(A, B, 40000, 80, SYN)),
      ...closing.map((frame, i) => at(1 + i, frame)),
      at(3, tcp4(A, B, 40000, 80, ACK)),
      at(4, tcp4(A, B, 40000, 80, SYN)),
    ];
    const { flows } = await readForTest(pcapForTest(packets));
    expect(flows).toHaveLength(count);
    expect(flows.every((flow) => flow.origin === 'handshake')).toBe(true);
  });

  it('expires idle conversations while the capture goes on', async () => {
    const busy = [0, 30, 60, 90, 120].map((s) => at(s, udp4(A, B, 7000, 7001)));
    const quiet = at(1, udp4(A, B, 8000, 8001));
    const { flows } = await readForTest(pcapForTest([busy[0]!, quiet, ...busy.slice(1)]));
    expect(flows.map((flow) => flow.srcPort)).toEqual([8000, 7000]);
  });

  it('pairs ICMP echo by identifier, request type as dstPort and code as srcPort', async () => {
    const ping = (src: string, dst: string, type: number, id: number) =>
      ethernetForTest(0x0800, ipv4ForTest(src, dst, 1, icmpForTest(type, 0, id)));
    const { flows } = await readForTest(
      pcapForTest([
        at(0, ping(A, B, 8, 1)),
        at(0.1, ping(B, A, 0, 1)),
        at(1, ping(A, B, 8, 2)),
        at(2, ping(B, A, 0, 9)),
      ]),
    );
    expect(flows.map((f) => `${tuple(f)} ${f.packets}/${f.packetsReverse}`)).toEqual([
      `${A}:0 > ${B}:8 1 1/1`,
      `${A}:0 > ${B}:8 1 1/0`,
      `${A}:0 > ${B}:8 1 0/1`,
    ]);
  });

  it('pairs ICMPv6 echo (128/129) and keeps other types one-way with dstPort = type', async () => {
    const icmp6 = (src: string, dst: string, type: number, code: number) =>
      ethernetForTest(0x86dd, ipv6ForTest(src, dst, 58, icmpForTest(type, code, 5)));
    const { flows } = await readForTest(
      pcapForTest([
        at(0, icmp6(V6A, V6B, 128, 0)),
        at(0.1, icmp6(V6B, V6A, 129, 0)),
        at(1, icmp6(V6A, V6B, 1, 4)),
        at(2, icmp6(V6B, V6A, 1, 4)),
      ]),
    );
    expect(flows.map(tuple)).toEqual([
      `${V6A}:0 > ${V6B}:128 58`,
      `${V6A}:4 > ${V6B}:1 58`,
      `${V6B}:4 > ${V6A}:1 58`,
    ]);
  });

  it('reads ports behind IPv4 options and IPv6 hop-by-hop, routing and destination options', async () => {
    const v4 = ipv4ForTest(A, B, 17, udpForTest(1111, 2222), { options: [1, 1, 1, 0] });
    const v6 = ipv6ForTest(V6A, V6B, 6, tcpForTest(3333, 4444, SYN), [
      { type: 0, body: [0, 0, 1, 4, 0, 0, 0, 0] },
      { type: 43, body: [0, 0, 0, 0, 0, 0, 0, 0] },
      { type: 60, body: [0, 0, 1, 4, 0, 0, 0, 0] },
    ]);
    const { flows } = await readForTest(
      pcapForTest([at(0, ethernetForTest(0x0800, v4)), at(1, ethernetForTest(0x86dd, v6))]),
    );
    expect(flows.map(tuple)).toEqual([`${A}:1111 > ${B}:2222 17`, `${V6A}:3333 > ${V6B}:4444 6`]);
  });

  it('adds later IPv4 and IPv6 fragments to the first fragment conversation and skips orphans', async () => {
    const first4 = ipv4ForTest(A, B, 17, udpForTest(1000, 2000, 16), {
      id: 77,
      moreFragments: true,
    });
    const later4 = ipv4ForTest(A, B, 17, new Uint8Array(16), { id: 77, fragmentOffset: 3 });
    const orphan4 = ipv4ForTest(A, B, 17, new Uint8Array(16), { id: 78, fragmentOffset: 3 });
    const fragment = (offset: number, more: boolean) => ({
      type: 44,
      body: [0, 0, (offset << 3) >> 8, ((offset << 3) & 0xff) | (more ? 1 : 0), 0, 0, 0, 9],
    });
    const first6 = ipv6ForTest(V6A, V6B, 17, udpForTest(3000, 4000, 16), [fragment(0, true)]);
    const later6 = ipv6ForTest(V6A, V6B, 17, new Uint8Array(16), [fragment(3, false)]);
    const frames = [first4, later4, orphan4].map((p) => ethernetForTest(0x0800, p));
    frames.push(ethernetForTest(0x86dd, first6), ethernetForTest(0x86dd, later6));
    const { flows, report } = await readForTest(
      pcapForTest(frames.map((frame, i) => at(i, frame))),
    );
    expect(flows.map((f) => `${tuple(f)} ${f.packets} ${f.bytes}`)).toEqual([
      `${A}:1000 > ${B}:2000 17 1 80`,
      `${V6A}:3000 > ${V6B}:4000 17 1 136`,
    ]);
    expect(report.skipped).toEqual({ 'IP fragment without its first fragment': 1 });
  });

  it('reads SCTP ports and other protocols with ports 0', async () => {
    const sctp = ipv4ForTest(A, B, 132, bytesForTest([0x0b, 0xb8, 0x0b, 0xb9], new Uint8Array(8)));
    const esp = ipv4ForTest(A, B, 50, new Uint8Array(12));
    const { flows } = await readForTest(
      pcapForTest([at(0, ethernetForTest(0x0800, sctp)), at(1, ethernetForTest(0x0800, esp))]),
    );
    expect(flows.map(tuple)).toEqual([`${A}:3000 > ${B}:3001 132`, `${A}:0 > ${B}:0 50`]);
  });
});
