import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileForTest, readTextForTest, tempDirForTest } from '../json-records/testing.js';
import { readGcpFlowLog } from './read.js';

const dir = tempDirForTest('gcp');
afterAll(() => {
  dir.remove();
});

const TESTDATA = join(import.meta.dirname, 'testdata');
const LINES = readFileSync(join(TESTDATA, 'vpc-flows.jsonl'), 'utf8').trimEnd().split('\n');
const GOOD = LINES[0]!;

/** The first fixture entry with `patch` applied to its payload (a path of keys, then a value). */
function withPayload(path: readonly string[], value: unknown): string {
  const entry = JSON.parse(GOOD) as { jsonPayload: Record<string, unknown> };
  let target: Record<string, unknown> = entry.jsonPayload;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path.at(-1)!] = value;
  return JSON.stringify(entry);
}

describe('readGcpFlowLog() on its fixtures', () => {
  it('vpc-flows.jsonl: 5 entries, 5 one-way flows, 3 instances', async () => {
    const { flows, workloads, report } = await readFileForTest(
      readGcpFlowLog,
      join(TESTDATA, 'vpc-flows.jsonl'),
    );
    expect(report).toMatchObject({ format: 'gcp', read: 5, flows: 5, rejected: 0, skipped: {} });
    expect(flows[0]).toEqual({
      src: '198.18.10.5',
      dst: '198.18.20.7',
      srcPort: 51022,
      dstPort: 5432,
      protocol: 6,
      start: Date.parse('2024-05-01T10:00:01.104Z'),
      end: Date.parse('2024-05-01T10:00:31.517Z'),
      packets: 42,
      bytes: 18320,
      packetsReverse: 0,
      bytesReverse: 0,
      origin: 'unknown',
      observer: 'shop-prod/web-1',
    });
    // the same flow reported by the destination VM
    expect(flows[1]!.observer).toBe('shop-prod/db-1');
    // the internet client has no instance; the DEST reporter names the VM
    expect(flows[3]).toMatchObject({ src: '203.0.113.50', observer: 'shop-prod/web-1' });
    expect(flows[4]).toMatchObject({ protocol: 17, dstPort: 53, packets: 1 });
    expect(workloads).toEqual([
      {
        name: 'shop-prod/web-1',
        addresses: ['198.18.10.5'],
        labels: {
          project: 'shop-prod',
          zone: 'europe-west1-b',
          region: 'europe-west1',
          vpc: 'prod-vpc',
          subnet: 'app',
        },
        discovered: true,
      },
      {
        name: 'shop-prod/db-1',
        addresses: ['198.18.20.7'],
        labels: {
          project: 'shop-prod',
          zone: 'europe-west1-c',
          region: 'europe-west1',
          vpc: 'prod-vpc',
          subnet: 'app',
        },
        discovered: true,
      },
    ]);
  });

  it('vpc-flows-array.json: a pretty JSON array with an audit log entry skipped', async () => {
    const { report } = await readFileForTest(
      readGcpFlowLog,
      join(TESTDATA, 'vpc-flows-array.json'),
    );
    expect(report).toMatchObject({
      read: 4,
      flows: 3,
      skipped: { 'not a VPC flow log entry': 1 },
      rejected: 0,
    });
  });
});

describe('readGcpFlowLog() with bad entries', () => {
  it.each([
    {
      name: 'a bad source address',
      bad: withPayload(['connection', 'src_ip'], '198.18.10.256'),
      want: 'field "jsonPayload.connection.src_ip" is "198.18.10.256"',
    },
    {
      name: 'a port above 65535',
      bad: withPayload(['connection', 'dest_port'], 65536),
      want: 'field "jsonPayload.connection.dest_port" is 65536',
    },
    {
      name: 'port 0 as text',
      bad: withPayload(['connection', 'src_port'], 'http'),
      want: 'field "jsonPayload.connection.src_port" is "http"',
    },
    {
      name: 'a protocol above 255',
      bad: withPayload(['connection', 'protocol'], 300),
      want: 'field "jsonPayload.connection.protocol" is 300',
    },
    {
      name: 'a byte count in exponent form',
      bad: withPayload(['bytes_sent'], '1e5'),
      want: 'field "jsonPayload.bytes_sent" is "1e5"',
    },
    {
      name: 'a negative packet count',
      bad: withPayload(['packets_sent'], '-4'),
      want: 'field "jsonPayload.packets_sent" is "-4"',
    },
    {
      name: 'a time without a zone',
      bad: withPayload(['start_time'], '2024-05-01 10:00:01'),
      want: 'field "jsonPayload.start_time" is "2024-05-01 10:00:01"',
    },
    {
      name: 'end before start',
      bad: withPayload(['end_time'], '2024-05-01T09:00:00Z'),
      want: 'field "jsonPayload.end_time" is "2024-05-01T09:00:00Z": expected a time no earlier than start_time',
    },
    {
      name: 'an unknown reporter',
      bad: withPayload(['reporter'], 'BOTH'),
      want: 'field "jsonPayload.reporter" is "BOTH": expected SRC, DEST, SRC_GATEWAY or DEST_GATEWAY',
    },
    {
      name: 'no connection',
      bad: withPayload(['connection'], null),
      want: 'field "jsonPayload.connection" is absent',
    },
    {
      name: 'a payload that is text',
      bad: '{"jsonPayload": "x"}',
      want: 'field "jsonPayload" is "x": expected an object',
    },
    { name: 'a cut line', bad: GOOD.slice(0, 80), want: 'is not JSON' },
    {
      name: 'a JSON value that is not an object',
      bad: '[]',
      want: 'entry is []: expected a Cloud Logging LogEntry object',
    },
  ])(
    'rejects $name, names file, line and value, and keeps the good entries',
    async ({ name, bad, want }) => {
      const { file, flows, report } = await readTextForTest(
        readGcpFlowLog,
        dir.path,
        `${name}.json`,
        `${GOOD}\n${bad}\n${LINES[3]!}\n`,
      );
      expect(report).toMatchObject({ read: 3, flows: 2, rejected: 1 });
      expect(flows.map((flow) => flow.src)).toEqual(['198.18.10.5', '203.0.113.50']);
      expect(report.issues).toEqual([{ file, line: 2, message: expect.stringContaining(want) }]);
    },
  );

  it('takes the entry timestamp when the payload has no times, and a gateway as observer', async () => {
    const entry = JSON.parse(withPayload(['reporter'], 'SRC_GATEWAY')) as {
      jsonPayload: Record<string, unknown>;
    };
    delete entry.jsonPayload.start_time;
    delete entry.jsonPayload.end_time;
    const { flows } = await readTextForTest(
      readGcpFlowLog,
      dir.path,
      'times.json',
      JSON.stringify(entry),
    );
    expect(flows[0]).toMatchObject({
      start: Date.parse('2024-05-01T10:00:31.517Z'),
      observer: 'SRC_GATEWAY',
    });
  });

  it('refuses a missing file with its name', async () => {
    await expect(readGcpFlowLog(`${dir.path}/absent.json`, () => undefined)).rejects.toThrow(
      `Cannot read GCP VPC flow log "${dir.path}/absent.json"`,
    );
  });
});
