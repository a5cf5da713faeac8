import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileForTest, readTextForTest, tempDirForTest } from '../json-records/testing.js';
import { readConntrack } from './read.js';

const dir = tempDirForTest('conntrack');
afterAll(() => {
  dir.remove();
});

const TESTDATA = join(import.meta.dirname, 'testdata');
const EXTENDED = readFileSync(join(TESTDATA, 'extended.txt'), 'utf8');
const XML = readFileSync(join(TESTDATA, 'table.xml'), 'utf8');
const GOOD = EXTENDED.split('\n')[0]!;
const FLOW_XML = XML.split('\n')[2]!;

describe('readConntrack() on its fixtures', () => {
  it('extended.txt: 7 entries, 7 flows from the original direction', async () => {
    const { flows, report } = await readFileForTest(readConntrack, join(TESTDATA, 'extended.txt'));
    expect(report).toMatchObject({
      format: 'conntrack',
      read: 7,
      flows: 7,
      rejected: 0,
      skipped: {},
    });
    expect(flows[0]).toMatchObject({
      src: '198.18.0.10',
      dst: '198.18.1.20',
      srcPort: 51234,
      dstPort: 5432,
      protocol: 6,
      packets: 120,
      bytes: 15840,
      packetsReverse: 98,
      bytesReverse: 204811,
      origin: 'sensor',
    });
    expect(flows[2]).toMatchObject({ protocol: 1, dstPort: 8, srcPort: 0, packets: 3 });
    // DNAT: the initiator addressed 203.0.113.80:443; the reply came from 198.18.5.5:8443
    expect(flows[4]).toMatchObject({ dst: '203.0.113.80', dstPort: 443 });
    expect(flows[5]).toMatchObject({ src: '2001:db8::10', dstPort: 443 });
    // without nf_conntrack_acct the counters are absent and read as 0
    expect(flows[6]).toMatchObject({ packets: 0, bytes: 0, packetsReverse: 0 });
  });

  it('table.xml: 3 flows, the same as the text form', async () => {
    const { flows, report } = await readFileForTest(readConntrack, join(TESTDATA, 'table.xml'));
    expect(report).toMatchObject({ read: 3, flows: 3, rejected: 0 });
    expect(flows.map((flow) => [flow.dst, flow.dstPort, flow.packets, flow.bytesReverse])).toEqual([
      ['198.18.1.20', 5432, 120, 204811],
      ['198.18.0.2', 53, 0, 0],
      ['198.18.1.20', 8, 0, 0],
    ]);
  });

  it('takes the file time as start and end', async () => {
    const { file } = await readTextForTest(readConntrack, dir.path, 'time.txt', GOOD);
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const { flows } = await readFileForTest(readConntrack, file);
    expect(flows[0]).toMatchObject({ start: 1_700_000_000_000, end: 1_700_000_000_000 });
  });
});

describe('readConntrack() with bad text lines', () => {
  it.each([
    {
      name: 'a bad source address',
      bad: GOOD.replace('src=198.18.0.10', 'src=198.18.0.300'),
      want: 'field "src" is "198.18.0.300"',
    },
    {
      name: 'a port above 65535',
      bad: GOOD.replace('dport=5432 packets', 'dport=65536 packets'),
      want: 'field "dport" is "65536"',
    },
    {
      name: 'a negative byte count',
      bad: GOOD.replace('bytes=15840', 'bytes=-1'),
      want: 'field "bytes" is "-1"',
    },
    {
      name: 'a bad reply counter',
      bad: GOOD.replace('bytes=204811', 'bytes=lots'),
      want: 'field "reply bytes" is "lots"',
    },
    {
      name: 'a protocol number above 255',
      bad: GOOD.replace('tcp      6', 'tcp 300'),
      want: 'line starts "tcp 300": expected a protocol name and number',
    },
    {
      name: 'no tuple',
      bad: 'ipv4 2 tcp 6 100 ESTABLISHED mark=0',
      want: 'line has 0 src= fields',
    },
    { name: 'three tuples', bad: `${GOOD} src=1.1.1.1`, want: 'line has 3 src= fields' },
    {
      name: 'no destination',
      bad: 'ipv4 2 udp 17 20 src=198.18.0.1 sport=1 dport=2',
      want: 'field "dst" is absent',
    },
    { name: 'text that is not conntrack', bad: 'hello world', want: 'line starts "hello world"' },
  ])(
    'rejects $name, names file, line and value, and keeps the good lines',
    async ({ name, bad, want }) => {
      const other = GOOD.replace('sport=51234', 'sport=51235');
      const { file, flows, report } = await readTextForTest(
        readConntrack,
        dir.path,
        `${name}.txt`,
        `${GOOD}\n${bad}\n${other}\n`,
      );
      expect(report).toMatchObject({ read: 3, flows: 2, rejected: 1 });
      expect(flows.map((flow) => flow.srcPort)).toEqual([51234, 51235]);
      expect(report.issues).toEqual([{ file, line: 2, message: expect.stringContaining(want) }]);
    },
  );

  it('takes DESTROY events and skips NEW and UPDATE by name', async () => {
    const text = `[1700000000.100000] [NEW] ${GOOD}\n[UPDATE] ${GOOD}\n[1700000009.5] [DESTROY] ${GOOD}\n`;
    const { report } = await readTextForTest(readConntrack, dir.path, 'events.txt', gzipSync(text));
    expect(report).toMatchObject({
      read: 3,
      flows: 1,
      skipped: { 'event NEW': 1, 'event UPDATE': 1 },
    });
  });
});

describe('readConntrack() with bad XML', () => {
  it.each([
    {
      name: 'a bad address',
      bad: FLOW_XML.replace('<src>198.18.0.10</src>', '<src>1.2..3</src>'),
      want: 'field "src" is "1.2..3"',
    },
    {
      name: 'a missing protocol number',
      bad: FLOW_XML.replaceAll(' protonum="6"', ''),
      want: 'field "layer4 protonum" is absent',
    },
    {
      name: 'no original direction',
      bad: FLOW_XML.replace('direction="original"', 'direction="sideways"'),
      want: 'no <meta direction="original">',
    },
    {
      name: 'a tag left open',
      bad: FLOW_XML.replace('</dst></layer3>', '</layer3>'),
      want: 'flow element is not well-formed XML',
    },
    {
      name: 'a port that is text',
      bad: FLOW_XML.replace('<dport>5432</dport>', '<dport>pg</dport>'),
      want: 'field "dport" is "pg"',
    },
  ])(
    'rejects $name, names file, line and value, and keeps the good flows',
    async ({ name, bad, want }) => {
      const lines = XML.split('\n');
      lines.splice(3, 0, bad);
      const { file, flows, report } = await readTextForTest(
        readConntrack,
        dir.path,
        `${name}.xml`,
        lines.join('\n'),
      );
      expect(report).toMatchObject({ read: 4, flows: 3, rejected: 1 });
      expect(flows).toHaveLength(3);
      expect(report.issues).toEqual([{ file, line: 4, message: expect.stringContaining(want) }]);
    },
  );

  it('rejects a flow element cut short at the end of the file', async () => {
    const { report } = await readTextForTest(
      readConntrack,
      dir.path,
      'cut.xml',
      XML.slice(0, XML.indexOf('</flow>') - 20),
    );
    expect(report).toMatchObject({ read: 1, flows: 0, rejected: 1 });
    expect(report.issues[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining('flow element never closes'),
    });
  });

  it('refuses a missing file with its name', async () => {
    await expect(readConntrack(`${dir.path}/absent.txt`, () => undefined)).rejects.toThrow(
      `Cannot read conntrack table "${dir.path}/absent.txt"`,
    );
  });
});
