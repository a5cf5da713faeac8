import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextForTest, tempDirForTest } from '../json-records/testing.js';
import { readAzureFlowLog } from './read.js';

const dir = tempDirForTest('azure');
afterAll(() => {
  dir.remove();
});

const GOOD = '1542110377,10.5.16.4,203.0.113.118,59831,443,T,O,A,E,3,200,2,100';

/** An NSG v2 document, one tuple per line, with the tuples at lines 9, 10, 11. */
function nsg(tuples: readonly string[]): string {
  return [
    '{"records": [{',
    '  "time": "2018-11-13T12:00:35Z",',
    '  "resourceId": "/SUBSCRIPTIONS/X/NSG",',
    '  "properties": {',
    '    "Version": 2,',
    '    "flows": [{',
    '      "rule": "UserRule_Web",',
    '      "flows": [{"mac": "000D3AF87856", "flowTuples": [',
    tuples.map((tuple) => `        ${JSON.stringify(tuple)}`).join(',\n'),
    '      ]}]',
    '    }]',
    '  }',
    '}]}',
  ].join('\n');
}

describe('readAzureFlowLog() with bad tuples', () => {
  it.each([
    {
      name: 'a port that is a name',
      tuple: GOOD.replace(',443,', ',https,'),
      want: 'tuple field "dport" is "https"',
    },
    {
      name: 'a port above 65535',
      tuple: GOOD.replace(',443,', ',65536,'),
      want: 'tuple field "dport" is "65536"',
    },
    {
      name: 'a bad address',
      tuple: GOOD.replace('10.5.16.4', '10.5.16.256'),
      want: 'tuple field "src" is "10.5.16.256"',
    },
    {
      name: 'an unknown protocol letter',
      tuple: GOOD.replace(',T,', ',X,'),
      want: 'tuple field "protocol" is "X": expected T (TCP) or U (UDP)',
    },
    {
      name: 'an unknown direction',
      tuple: GOOD.replace(',O,', ',Q,'),
      want: 'tuple field "direction" is "Q": expected I, O',
    },
    {
      name: 'an unknown decision',
      tuple: GOOD.replace(',A,', ',Z,'),
      want: 'tuple field "decision" is "Z"',
    },
    {
      name: 'an unknown state',
      tuple: GOOD.replace(',E,', ',X,'),
      want: 'tuple field "state" is "X": expected B, C, E',
    },
    {
      name: 'too few fields',
      tuple: '1542110377,10.5.16.4',
      want: 'tuple has 2 comma-separated fields, the nsg-v2 layout has 13',
    },
    {
      name: 'a negative counter',
      tuple: GOOD.replace(',3,200,', ',-3,200,'),
      want: 'tuple field "packets_s2d" is "-3"',
    },
    { name: 'an empty string', tuple: '', want: 'tuple has 1 comma-separated fields' },
  ])(
    'rejects $name, names file, line, path and value, and keeps the good tuples',
    async ({ name, tuple, want }) => {
      const other = GOOD.replace('59831', '59832');
      const { file, flows, report } = await readTextForTest(
        readAzureFlowLog,
        dir.path,
        `${name}.json`,
        nsg([GOOD, tuple, other]),
      );
      expect(report).toMatchObject({ read: 3, flows: 2, rejected: 1 });
      expect(flows.map((flow) => flow.srcPort)).toEqual([59831, 59832]);
      expect(report.issues).toEqual([
        {
          file,
          line: 10,
          message: expect.stringContaining(
            `records[0].properties.flows[0].flows[0].flowTuples[1] "${tuple}": ${want}`,
          ),
        },
      ]);
    },
  );

  it('rejects a record without flows, naming its path', async () => {
    const text = `{"records": [{"time": "x"}, ${nsg([GOOD]).slice(13, -2)}]}`;
    const { report } = await readTextForTest(readAzureFlowLog, dir.path, 'no-flows.json', text);
    expect(report).toMatchObject({ read: 2, flows: 1, rejected: 1 });
    expect(report.issues[0]!.message).toContain(
      'records[0] is {"time":"x"}: expected an NSG flow log record',
    );
  });

  it('rejects flowTuples that is not a list and a tuple that is not a string', async () => {
    const text = nsg([GOOD]).replace('"flowTuples": [', '"flowTuples": 7, "x": [');
    const { report } = await readTextForTest(readAzureFlowLog, dir.path, 'not-list.json', text);
    expect(report.issues[0]!.message).toContain(
      'flowTuples is 7: expected a list of tuple strings',
    );
    const second = nsg([GOOD]).replace(`"${GOOD}"`, '42');
    const { report: r2 } = await readTextForTest(
      readAzureFlowLog,
      dir.path,
      'not-string.json',
      second,
    );
    expect(r2.issues[0]!.message).toContain('flowTuples[0] is 42: expected a tuple string');
  });

  it('rejects text that is not JSON with its line, and reads the JSON lines around it', async () => {
    const record = JSON.stringify(JSON.parse(nsg([GOOD])).records[0]);
    const { file, report } = await readTextForTest(
      readAzureFlowLog,
      dir.path,
      'lines.json',
      `${record}\n{"records": [\n${record}\n`,
    );
    expect(report).toMatchObject({ flows: 2, rejected: 1 });
    expect(report.issues[0]).toEqual({
      file,
      line: 2,
      message: expect.stringContaining('text "{"records": [" is not JSON'),
    });
  });

  it('refuses a missing file with its name', async () => {
    await expect(readAzureFlowLog(`${dir.path}/absent.json`, () => undefined)).rejects.toThrow(
      `Cannot read Azure flow log "${dir.path}/absent.json"`,
    );
  });
});

describe('readAzureFlowLog() ties conversations', () => {
  it.each([
    {
      name: 'B, C and E into one flow with summed counters',
      tuples: [
        '100,10.0.0.1,10.0.0.2,40000,443,T,O,A,B,,,,',
        '160,10.0.0.1,10.0.0.2,40000,443,T,O,A,C,5,500,4,400',
        '200,10.0.0.1,10.0.0.2,40000,443,T,O,A,E,1,60,1,60',
      ],
      want: [
        {
          start: 100_000,
          end: 200_000,
          packets: 6,
          bytes: 560,
          packetsReverse: 5,
          bytesReverse: 460,
        },
      ],
    },
    {
      name: 'an E without B as a flow by itself',
      tuples: ['200,10.0.0.1,10.0.0.2,40000,443,T,O,A,E,1,60,1,60'],
      want: [{ start: 200_000, end: 200_000, packets: 1 }],
    },
    {
      name: 'a B left open at the end of the file',
      tuples: ['100,10.0.0.1,10.0.0.2,40000,443,T,O,A,B,,,,'],
      want: [{ start: 100_000, end: 100_000, packets: 0 }],
    },
    {
      name: 'two B of one five-tuple as two flows',
      tuples: [
        '100,10.0.0.1,10.0.0.2,40000,443,T,O,A,B,,,,',
        '300,10.0.0.1,10.0.0.2,40000,443,T,O,A,B,,,,',
      ],
      want: [{ start: 100_000 }, { start: 300_000 }],
    },
    {
      name: 'denied tuples as flows of their own',
      tuples: [
        '100,10.0.0.1,10.0.0.2,40000,22,T,I,D,B,,,,',
        '101,10.0.0.1,10.0.0.2,40000,22,T,I,D,B,,,,',
      ],
      want: [{ action: 'reject', actionReason: 'UserRule_Web' }, { action: 'reject' }],
    },
  ])('$name', async ({ name, tuples, want }) => {
    const { flows } = await readTextForTest(
      readAzureFlowLog,
      dir.path,
      `${name}.json`,
      nsg(tuples),
    );
    expect(flows).toMatchObject(want);
  });

  it('reads a VNet v4 document gzip-compressed', async () => {
    const doc = {
      records: [
        {
          macAddress: 'AA',
          flowRecords: {
            flows: [
              {
                aclID: 'x',
                flowGroups: [
                  {
                    rule: 'R',
                    flowTuples: [
                      '1663146003599,10.0.0.6,52.239.184.180,23956,443,6,O,B,NX,0,0,0,0',
                      '1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580',
                    ],
                  },
                ],
              },
            ],
          },
        },
      ],
    };
    const { flows, report } = await readTextForTest(
      readAzureFlowLog,
      dir.path,
      'v4.bin',
      gzipSync(JSON.stringify(doc)),
    );
    expect(report).toMatchObject({ read: 2, flows: 1 });
    expect(flows[0]).toMatchObject({
      observer: 'AA',
      actionReason: 'R',
      packets: 3,
      bytesReverse: 1580,
      end: 1_663_146_003_606,
    });
  });
});
