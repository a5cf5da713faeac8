import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../domain/index.js';
import { InputError } from '../../domain/index.js';
import { readVpcFlowLog } from './read.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-vpc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(
  name: string,
  content: string | Buffer,
): Promise<{ flows: Flow[]; file: string; report: Awaited<ReturnType<typeof readVpcFlowLog>> }> {
  const file = join(dir, name);
  await writeFile(file, content);
  const flows: Flow[] = [];
  const report = await readVpcFlowLog(file, (flow) => flows.push(flow));
  return { flows, file, report };
}

const GOOD =
  '2 123456789010 eni-1 198.18.0.1 198.18.0.2 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK';

describe('readVpcFlowLog() with bad records', () => {
  it.each([
    {
      name: 'a port that is a name',
      line: GOOD.replace(' 443 ', ' http '),
      want: 'field "dstport" is "http": expected a number from 0 to 65535',
    },
    {
      name: 'too few fields',
      line: '2 123456789010 eni-1 198.18.0.1',
      want: 'record has 4 fields, the layout has 14',
    },
    {
      name: 'too many fields',
      line: `${GOOD} extra`,
      want: 'record has 15 fields, the layout has 14',
    },
    {
      name: 'a bad address',
      line: GOOD.replace('198.18.0.2', '198.18.0.256'),
      want: 'field "dstaddr" is "198.18.0.256"',
    },
    {
      name: 'a protocol above 255',
      line: GOOD.replace(' 6 10 ', ' 256 10 '),
      want: 'field "protocol" is "256"',
    },
  ])(
    'rejects $name, names file, line and value, and keeps the good records',
    async ({ name, line, want }) => {
      const { flows, file, report } = await read(`bad-${name}.log`, `${GOOD}\n${line}\n${GOOD}\n`);
      expect(report).toMatchObject({ read: 3, flows: 2, rejected: 1 });
      expect(flows).toHaveLength(2);
      expect(report.issues).toEqual([{ file, line: 2, message: expect.stringContaining(want) }]);
    },
  );

  it('keeps only the first 20 issues but counts every reject', async () => {
    const bad = GOOD.replace(' 443 ', ' x ');
    const { report } = await read('many-bad.log', `${bad}\n`.repeat(30) + GOOD);
    expect(report).toMatchObject({ read: 31, flows: 1, rejected: 30 });
    expect(report.issues).toHaveLength(20);
  });

  it('refuses a header that lists no addresses, naming file and line', async () => {
    const file = join(dir, 'no-addr.log');
    await writeFile(file, '\nversion account-id srcport\n2 1 3\n');
    const error = await readVpcFlowLog(file, () => undefined).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).describe()).toContain(
      `${file}:2: Cannot read VPC flow log header`,
    );
  });

  it('refuses a missing file with its name', async () => {
    const file = join(dir, 'absent.log');
    await expect(readVpcFlowLog(file, () => undefined)).rejects.toThrow(
      `Cannot read VPC flow log "${file}"`,
    );
  });

  it('refuses a truncated gzip file', async () => {
    const gz = gzipSync(Buffer.from(`${GOOD}\n`.repeat(1000)));
    const file = join(dir, 'cut.log.gz');
    await writeFile(file, gz.subarray(0, gz.length - 20));
    await expect(readVpcFlowLog(file, () => undefined)).rejects.toThrow(InputError);
  });
});

describe('readVpcFlowLog() with good input', () => {
  it('reads gzip by content, whatever the file name', async () => {
    const { report } = await read('flows.bin', gzipSync(Buffer.from(`${GOOD}\n`.repeat(3))));
    expect(report).toMatchObject({ format: 'vpc', read: 3, flows: 3, rejected: 0 });
  });

  it('reads CRLF line ends, blank lines and a repeated header', async () => {
    const header = 'srcaddr dstaddr dstport action';
    const text = `${header}\r\n10.0.0.1 10.0.0.2 22 ACCEPT\r\n\r\n${header}\r\n10.0.0.3 10.0.0.4 80 REJECT\r\n`;
    const { flows, report } = await read('crlf.log', text);
    expect(report).toMatchObject({ read: 2, flows: 2, rejected: 0 });
    expect(flows.map((flow) => [flow.dst, flow.dstPort, flow.action])).toEqual([
      ['10.0.0.2', 22, 'accept'],
      ['10.0.0.4', 80, 'reject'],
    ]);
  });

  it('skips NODATA and SKIPDATA under their status', async () => {
    const text = `${GOOD}\n2 1 eni-1 - - - - - - - 1 2 - NODATA\n2 1 eni-1 - - - - - - - 1 2 - SKIPDATA\n`;
    const { report } = await read('status.log', text);
    expect(report).toMatchObject({ read: 3, flows: 1, skipped: { NODATA: 1, SKIPDATA: 1 } });
  });
});
