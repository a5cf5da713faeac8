import { utimesSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/index.js';
import { readFileForTest, readTextForTest, tempDirForTest } from '../json-records/testing.js';
import type { ReaderForTest } from '../json-records/testing.js';
import { parseCsvFlowMapping } from './mapping.js';
import type { CsvFlowMapping } from './mapping.js';
import { readCsvFlows } from './read.js';

const dir = tempDirForTest('csv-flows');
afterAll(() => {
  dir.remove();
});

function mapping(text: string): CsvFlowMapping {
  const parsed = parseCsvFlowMapping(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.mapping;
}
const MAP = mapping(
  'src=srcip,dst=dstip,sport=sp,dport=dp,proto=protocol,start=first,end=last,packets=pkts,bytes=octets',
);
const reader: ReaderForTest = (file, sink) => readCsvFlows(file, sink, MAP);

const HEADER = 'srcip,dstip,sp,dp,protocol,first,last,pkts,octets,note';
const GOOD = '198.18.0.10,198.18.1.20,51234,5432,tcp,1714557600,1714557660,12,1500,"db, primary"';

describe('readCsvFlows() with bad rows', () => {
  it.each([
    {
      name: 'a bad address',
      row: GOOD.replace('198.18.1.20', '198.18.1.256'),
      want: 'column "dstip" is "198.18.1.256": expected an IPv4 or IPv6 address',
    },
    {
      name: 'an empty source',
      row: GOOD.replace('198.18.0.10', ''),
      want: 'column "srcip" is "": expected an IPv4 or IPv6 address',
    },
    {
      name: 'a port above 65535',
      row: GOOD.replace('5432', '65536'),
      want: 'column "dp" is "65536"',
    },
    { name: 'a port in hex', row: GOOD.replace('5432', '0x1538'), want: 'column "dp" is "0x1538"' },
    {
      name: 'an unknown protocol',
      row: GOOD.replace(',tcp,', ',tcpx,'),
      want: 'column "protocol" is "tcpx": expected a protocol name',
    },
    {
      name: 'a protocol above 255',
      row: GOOD.replace(',tcp,', ',256,'),
      want: 'column "protocol" is "256"',
    },
    {
      name: 'a time that is neither',
      row: GOOD.replace('1714557600', 'yesterday'),
      want: 'column "first" is "yesterday": expected an RFC 3339 time',
    },
    {
      name: 'end before start',
      row: GOOD.replace('1714557660', '1714557000'),
      want: 'column "last" is "1714557000": expected a time no earlier than start',
    },
    {
      name: 'a negative count',
      row: GOOD.replace(',12,', ',-12,'),
      want: 'column "pkts" is "-12"',
    },
    {
      name: 'too few cells',
      row: '198.18.0.10,198.18.1.20',
      want: 'row has 2 cells, the header has 10',
    },
    {
      name: 'text after a closing quote',
      row: GOOD.replace('"db, primary"', '"db" primary'),
      want: 'follows the closing quote of cell 10',
    },
  ])(
    'rejects $name, names file, line and value, and keeps the good rows',
    async ({ name, row, want }) => {
      const other = GOOD.replace('51234', '51235');
      const { file, flows, report } = await readTextForTest(
        reader,
        dir.path,
        `${name}.csv`,
        `${HEADER}\n${GOOD}\n${row}\n${other}\n`,
      );
      expect(report).toMatchObject({ format: 'csv-flows', read: 3, flows: 2, rejected: 1 });
      expect(flows.map((flow) => flow.srcPort)).toEqual([51234, 51235]);
      expect(report.issues).toEqual([{ file, line: 3, message: expect.stringContaining(want) }]);
    },
  );

  it('refuses a header without a mapped column, naming the column, the key and the file', async () => {
    const error = await readTextForTest(
      reader,
      dir.path,
      'no-col.csv',
      'srcip,dstip\n1.1.1.1,2.2.2.2\n',
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).describe()).toMatch(
      /no-col\.csv:1: Cannot read CSV flows: column "sp" for key "sport" is not in the header; the header has srcip, dstip/,
    );
  });

  it('rejects a quoted cell that never closes at its line', async () => {
    const { report } = await readTextForTest(
      reader,
      dir.path,
      'open-quote.csv',
      `${HEADER}\n${GOOD}\n198.18.0.1,"198.18.0.2,1,2,tcp,1,2,3,4,x\n`,
    );
    expect(report).toMatchObject({ read: 2, flows: 1, rejected: 1 });
    expect(report.issues[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining('never closes'),
    });
  });

  it('refuses a missing file with its name', async () => {
    await expect(readCsvFlows(`${dir.path}/absent.csv`, () => undefined, MAP)).rejects.toThrow(
      `Cannot read CSV flows "${dir.path}/absent.csv"`,
    );
  });
});

describe('readCsvFlows() with good rows', () => {
  it('reads epoch seconds, a quoted cell with a comma and a line break, gzip and CRLF', async () => {
    const text = `${HEADER}\r\n${GOOD}\r\n198.18.0.10,198.18.1.20,0,8,icmp,2024-05-01T10:00:00.5Z,2024-05-01T10:00:01Z,3,252,"two\r\nlines"\r\n`;
    const { flows, report } = await readTextForTest(reader, dir.path, 'good.bin', gzipSync(text));
    expect(report).toMatchObject({ read: 2, flows: 2, rejected: 0 });
    expect(flows[0]).toEqual({
      src: '198.18.0.10',
      dst: '198.18.1.20',
      srcPort: 51234,
      dstPort: 5432,
      protocol: 6,
      start: 1_714_557_600_000,
      end: 1_714_557_660_000,
      packets: 12,
      bytes: 1500,
      packetsReverse: 0,
      bytesReverse: 0,
      origin: 'unknown',
    });
    expect(flows[1]).toMatchObject({
      protocol: 1,
      dstPort: 8,
      start: Date.parse('2024-05-01T10:00:00.500Z'),
    });
  });

  it.each([
    { name: 'epoch seconds with a fraction', value: '1714557600.25', want: 1_714_557_600_250 },
    { name: 'epoch milliseconds', value: '1714557600123', want: 1_714_557_600_123 },
    {
      name: 'RFC 3339 with an offset',
      value: '2024-05-01T12:00:00+02:00',
      want: 1_714_557_600_000,
    },
  ])('reads a start in $name', async ({ name, value, want }) => {
    const row = GOOD.replace('1714557600', value).replace('1714557660', '');
    const { flows } = await readTextForTest(
      reader,
      dir.path,
      `t-${name}.csv`,
      `${HEADER}\n${row}\n`,
    );
    expect(flows[0]).toMatchObject({ start: want, end: want });
  });

  it('maps columns case-insensitively, and takes the file time without a start column', async () => {
    const read: ReaderForTest = (file, sink) =>
      readCsvFlows(file, sink, mapping('src=SrcAddr,dst=DstAddr,proto=proto'));
    const { file } = await readTextForTest(
      read,
      dir.path,
      'min.csv',
      'srcaddr,dstaddr,proto\n198.18.0.1,198.18.0.2,17\n',
    );
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const { flows } = await readFileForTest(read, file);
    expect(flows[0]).toMatchObject({ protocol: 17, srcPort: 0, start: 1_700_000_000_000 });
  });
});
