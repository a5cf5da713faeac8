import { afterAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readTextForTest, tempDirForTest } from '../json-records/testing.js';
import { readSuricataEve } from './read.js';

const dir = tempDirForTest('suricata');
afterAll(() => {
  dir.remove();
});

const FLOW = {
  timestamp: '2024-05-01T10:00:05.000000+0000',
  flow_id: 1,
  in_iface: 'eth0',
  event_type: 'flow',
  src_ip: '198.18.0.10',
  src_port: 41000,
  dest_ip: '198.18.1.20',
  dest_port: 5432,
  proto: 'TCP',
  flow: {
    pkts_toserver: 12,
    pkts_toclient: 10,
    bytes_toserver: 1500,
    bytes_toclient: 9000,
    start: '2024-05-01T10:00:00.250000+0000',
    end: '2024-05-01T10:00:04.000000+0000',
    age: 4,
    state: 'closed',
    reason: 'timeout',
    alerted: false,
  },
  tcp: {
    tcp_flags: '1b',
    tcp_flags_ts: '1b',
    tcp_flags_tc: '1b',
    syn: true,
    fin: true,
    psh: true,
    ack: true,
    state: 'closed',
  },
};
const line = (patch: object): string => JSON.stringify({ ...FLOW, ...patch });

describe('readSuricataEve() with bad events', () => {
  it.each([
    {
      name: 'a bad source address',
      bad: line({ src_ip: '198.18.0.300' }),
      want: 'field "src_ip" is "198.18.0.300": expected an IPv4 or IPv6 address',
    },
    {
      name: 'a port above 65535',
      bad: line({ dest_port: 65536 }),
      want: 'field "dest_port" is 65536',
    },
    { name: 'a negative port', bad: line({ src_port: -1 }), want: 'field "src_port" is -1' },
    { name: 'an unknown protocol', bad: line({ proto: 'QUIC' }), want: 'field "proto" is "QUIC"' },
    {
      name: 'a bad start time',
      bad: line({ flow: { ...FLOW.flow, start: 'yesterday' } }),
      want: 'field "flow.start" is "yesterday"',
    },
    {
      name: 'end before start',
      bad: line({ flow: { ...FLOW.flow, end: '2024-05-01T09:00:00+0000' } }),
      want: 'field "flow.end" is "2024-05-01T09:00:00+0000": expected a time no earlier than start',
    },
    {
      name: 'a fractional packet count',
      bad: line({ flow: { ...FLOW.flow, pkts_toserver: 1.5 } }),
      want: 'field "flow.pkts_toserver" is 1.5',
    },
    {
      name: 'flags that are not hex',
      bad: line({ tcp: { tcp_flags: 'zz' } }),
      want: 'field "tcp.tcp_flags" is "zz"',
    },
    {
      name: 'no event_type',
      bad: line({ event_type: undefined }),
      want: 'field "event_type" is absent',
    },
    { name: 'a line that is not JSON', bad: '{"event_type": "flow", ', want: 'is not JSON' },
    {
      name: 'a JSON value that is not an object',
      bad: '42',
      want: 'record is 42: expected an EVE event object',
    },
  ])(
    'rejects $name, names file, line and value, and keeps the good events',
    async ({ name, bad, want }) => {
      const { file, flows, report } = await readTextForTest(
        readSuricataEve,
        dir.path,
        `${name}.json`,
        `${line({})}\n${bad}\n${line({ src_port: 41001 })}\n`,
      );
      expect(report).toMatchObject({ read: 3, flows: 2, rejected: 1 });
      expect(flows.map((flow) => flow.srcPort)).toEqual([41000, 41001]);
      expect(report.issues).toEqual([{ file, line: 2, message: expect.stringContaining(want) }]);
    },
  );
});

describe('readSuricataEve() with good events', () => {
  it('turns a flow event into a two-way flow seen on its interface', async () => {
    const { flows } = await readTextForTest(readSuricataEve, dir.path, 'flow.json', line({}));
    expect(flows).toEqual([
      {
        src: '198.18.0.10',
        dst: '198.18.1.20',
        srcPort: 41000,
        dstPort: 5432,
        protocol: 6,
        start: Date.parse('2024-05-01T10:00:00.250Z'),
        end: Date.parse('2024-05-01T10:00:04Z'),
        packets: 12,
        bytes: 1500,
        packetsReverse: 10,
        bytesReverse: 9000,
        origin: 'handshake',
        tcpFlags: 0x1b,
        observer: 'eth0',
      },
    ]);
  });

  it.each([
    {
      name: 'both sides sent SYN: handshake',
      tcp: { tcp_flags_ts: '1b', tcp_flags_tc: '1b' },
      want: 'handshake',
    },
    { name: 'a bare unanswered SYN: handshake', tcp: { tcp_flags_ts: '02' }, want: 'handshake' },
    {
      name: 'picked up mid-stream: sensor',
      tcp: { tcp_flags_ts: '18', tcp_flags_tc: '18' },
      want: 'sensor',
    },
    {
      name: 'only the SYN-ACK seen from src: sensor',
      tcp: { tcp_flags_ts: '12', tcp_flags_tc: '10' },
      want: 'sensor',
    },
  ])('flow origin: $name', async ({ name, tcp, want }) => {
    const { flows } = await readTextForTest(
      readSuricataEve,
      dir.path,
      `${name}.json`,
      line({ tcp }),
    );
    expect(flows[0]!.origin).toBe(want);
  });

  it('skips other event types by name and applies a blocking alert to later flows of its flow_id', async () => {
    const alert = JSON.stringify({
      event_type: 'alert',
      flow_id: 7,
      alert: { action: 'blocked', signature: 'ET SCAN' },
    });
    const text = [
      line({ flow_id: 7 }),
      alert,
      JSON.stringify({ event_type: 'dns' }),
      line({ flow_id: 7 }),
      line({ flow_id: 8, flow: { ...FLOW.flow, action: 'drop' } }),
    ].join('\n');
    const { flows, report } = await readTextForTest(
      readSuricataEve,
      dir.path,
      'alert.json',
      gzipSync(text),
    );
    expect(report).toMatchObject({
      read: 5,
      flows: 3,
      skipped: { 'event_type alert': 1, 'event_type dns': 1 },
    });
    expect(flows.map((flow) => [flow.action, flow.actionReason])).toEqual([
      [undefined, undefined],
      ['reject', 'ET SCAN'],
      ['reject', 'drop'],
    ]);
  });

  it('takes an alerted flow as a flow', async () => {
    const { report } = await readTextForTest(
      readSuricataEve,
      dir.path,
      'alerted.json',
      line({ flow: { ...FLOW.flow, alerted: true } }),
    );
    expect(report.flows).toBe(1);
  });

  it('reads a netflow event as one-way, IPv6 ICMP type as the port', async () => {
    const netflow = {
      event_type: 'netflow',
      src_ip: '2001:db8::1',
      dest_ip: '2001:db8::2',
      proto: 'IPv6-ICMP',
      icmp_type: 128,
      icmp_code: 0,
      netflow: { pkts: 3, bytes: 312, start: '2024-05-01T10:00:00Z', end: '2024-05-01T10:00:02Z' },
    };
    const { flows } = await readTextForTest(
      readSuricataEve,
      dir.path,
      'netflow.json',
      JSON.stringify(netflow),
    );
    expect(flows[0]).toMatchObject({
      protocol: 58,
      dstPort: 128,
      srcPort: 0,
      packets: 3,
      packetsReverse: 0,
      origin: 'unknown',
    });
  });

  it('refuses a missing file with its name', async () => {
    await expect(readSuricataEve(`${dir.path}/absent.json`, () => undefined)).rejects.toThrow(
      `Cannot read Suricata EVE log "${dir.path}/absent.json"`,
    );
  });
});
