import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError, type Flow } from '../../domain/index.js';
import { isZeekConnLog, readZeekConnLog } from './index.js';

const FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'duration',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'ip_proto',
];

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  `#fields\t${FIELDS.join('\t')}`,
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tcount\tcount\tcount\tcount\tcount',
];

const GOOD =
  '1700000000.500000\tC1\t198.18.0.1\t40000\t198.18.0.2\t443\ttcp\t2.000000\t5\t400\t4\t3000\t6';

async function readForTest(lines: readonly string[], gzip = false) {
  const folder = await mkdtemp(join(tmpdir(), 'bulkhead-zeek-'));
  const file = join(folder, gzip ? 'conn.log.gz' : 'conn.log');
  const text = `${lines.join('\n')}\n`;
  await writeFile(file, gzip ? gzipSync(text) : text);
  const flows: Flow[] = [];
  const report = await readZeekConnLog(file, (flow) => flows.push(flow));
  return { file, flows, report };
}

function row(changes: Record<string, string>): string {
  const cells = GOOD.split('\t');
  for (const [name, value] of Object.entries(changes)) cells[FIELDS.indexOf(name)] = value;
  return cells.join('\t');
}

describe('readZeekConnLog() on malformed rows', () => {
  it.each([
    {
      name: 'too few columns',
      line: GOOD.split('\t').slice(0, 5).join('\t'),
      message: /it has 5 columns, the #fields header names 13/,
    },
    {
      name: 'a bad address',
      line: row({ 'id.orig_h': '1.2..3' }),
      message: /column id.orig_h holds "1.2..3", which is not an IP address/,
    },
    {
      name: 'port 65536',
      line: row({ 'id.resp_p': '65536' }),
      message: /column id.resp_p holds "65536"; expected a whole number from 0 to 65535/,
    },
    {
      name: 'a negative count',
      line: row({ orig_pkts: '-5' }),
      message: /column orig_pkts holds "-5"/,
    },
    {
      name: 'a ts that is not seconds',
      line: row({ ts: '2024-01-01T00:00:00Z' }),
      message: /column ts holds "2024-01-01T00:00:00Z"; expected seconds/,
    },
    {
      name: 'an unknown proto',
      line: row({ proto: 'ipx' }),
      message: /column proto holds "ipx"; expected tcp, udp, icmp or unknown_transport/,
    },
    {
      name: 'an unset address',
      line: row({ 'id.resp_h': '-' }),
      message: /column id.resp_h is unset/,
    },
  ])('rejects $name with line, column and value, keeping good rows', async ({ line, message }) => {
    const { file, flows, report } = await readForTest([
      ...HEADER,
      GOOD,
      line,
      GOOD,
      '#close\t2024-01-01-00-00-00',
    ]);
    expect(report.rejected).toBe(1);
    expect(report.issues[0]).toMatchObject({ file, line: 9 });
    expect(report.issues[0]?.message).toMatch(/^Cannot read row at line 9: /);
    expect(report.issues[0]?.message).toMatch(message);
    expect(flows).toHaveLength(2);
  });

  it('keeps a row whose ts test tooling masked, at time 0, and notes it', async () => {
    const { flows, report } = await readForTest([
      ...HEADER,
      row({ ts: 'XXXXXXXXXX.XXXXXX' }),
      '#close\t2024-01-01-00-00-00',
    ]);
    expect(report.rejected).toBe(0);
    expect(flows).toHaveLength(1);
    expect(flows[0]?.start).toBe(0);
    expect(report.notes).toEqual({ 'masked timestamp, stored at time 0': 1 });
  });

  it('rejects rows before any #fields header', async () => {
    const { report } = await readForTest([GOOD, ...HEADER, GOOD]);
    expect(report.issues[0]?.message).toBe(
      'Cannot read row at line 1: no #fields header comes before it',
    );
    expect(report.flows).toBe(1);
  });

  it('rejects a #fields header without the conn_id columns and skips its rows', async () => {
    const { report } = await readForTest([
      '#separator \\x09',
      '#path\tdns',
      '#fields\tts\tuid\tquery',
      '1\tC1\texample.org',
    ]);
    expect(report.issues[0]?.message).toMatch(
      /line 3: it lacks id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto/,
    );
    expect(report.skipped).toEqual({ 'row under an unusable #fields header': 1 });
  });

  it('throws an InputError for a file without any #fields line', async () => {
    const error = await readForTest(['']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toMatch(/as a Zeek conn.log: it has no #fields line/);
  });
});

describe('readZeekConnLog() on good rows', () => {
  it('turns a row into a sensor flow with ms times and Zeek ip byte counts', async () => {
    const { flows, report } = await readForTest([...HEADER, GOOD]);
    expect(report).toMatchObject({ format: 'zeek', read: 1, flows: 1, rejected: 0 });
    expect(flows[0]).toEqual({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      srcPort: 40000,
      dstPort: 443,
      protocol: 6,
      start: 1_700_000_000_500,
      end: 1_700_000_002_500,
      packets: 5,
      bytes: 400,
      packetsReverse: 4,
      bytesReverse: 3000,
      origin: 'sensor',
    });
  });

  it.each([
    {
      name: 'ICMP echo',
      changes: { proto: 'icmp', 'id.orig_p': '8', 'id.resp_p': '0' },
      want: { protocol: 1, dstPort: 8, srcPort: 0 },
    },
    {
      name: 'ICMP unreachable code 3',
      changes: { proto: 'icmp', 'id.orig_p': '3', 'id.resp_p': '3' },
      want: { protocol: 1, dstPort: 3, srcPort: 3 },
    },
    {
      name: 'ICMPv6 echo',
      changes: {
        proto: 'icmp',
        'id.orig_h': '2001:db8::1',
        'id.resp_h': '2001:db8::2',
        'id.orig_p': '128',
        'id.resp_p': '129',
      },
      want: { protocol: 58, dstPort: 128, srcPort: 0 },
    },
    {
      name: 'unknown_transport with ip_proto',
      changes: { proto: 'unknown_transport', ip_proto: '132' },
      want: { protocol: 132 },
    },
    {
      name: 'unset duration and counts',
      changes: { duration: '-', orig_pkts: '-', resp_ip_bytes: '(empty)' },
      want: { end: 1_700_000_000_500, packets: 0, bytesReverse: 0 },
    },
  ])('maps $name', async ({ changes, want }) => {
    const { flows } = await readForTest([...HEADER, row(changes)]);
    expect(flows[0]).toMatchObject(want);
  });

  it('skips unknown_transport without ip_proto', async () => {
    const fields = FIELDS.slice(0, -1);
    const header = HEADER.map((line) =>
      line.startsWith('#fields') ? `#fields\t${fields.join('\t')}` : line,
    );
    const line = row({ proto: 'unknown_transport' }).split('\t').slice(0, -1).join('\t');
    const { report } = await readForTest([...header, line]);
    expect(report.skipped).toEqual({ 'unknown_transport without ip_proto': 1 });
  });

  it('follows a second log with another column order and reads gzip', async () => {
    const swapped = HEADER.map((line) =>
      line.startsWith('#fields')
        ? line.replace('id.orig_h\tid.orig_p', 'id.orig_p\tid.orig_h')
        : line,
    );
    const moved = GOOD.replace('198.18.0.1\t40000', '40000\t198.18.0.1');
    const { flows } = await readForTest([...HEADER, GOOD, '#close\tx', ...swapped, moved], true);
    expect(flows.map((flow) => `${flow.src}:${flow.srcPort}`)).toEqual([
      '198.18.0.1:40000',
      '198.18.0.1:40000',
    ]);
  });
});

describe('isZeekConnLog()', () => {
  it.each([
    { name: 'empty', head: Buffer.alloc(0), want: false },
    {
      name: 'a dns.log',
      head: Buffer.from('#separator \\x09\n#path\tdns\n#fields\tts\tquery\n'),
      want: false,
    },
    { name: 'JSON', head: Buffer.from('{"ts":1,"id.orig_h":"1.2.3.4"}\n'), want: false },
    { name: 'a conn.log', head: Buffer.from(HEADER.join('\n')), want: true },
    {
      name: 'a btest baseline',
      head: Buffer.from(`### BTest baseline\n${HEADER.join('\n')}`),
      want: true,
    },
    { name: 'a gzip conn.log', head: gzipSync(HEADER.join('\n')), want: true },
  ])('says $want for $name', ({ head, want }) => {
    expect(isZeekConnLog(head)).toBe(want);
  });
});
