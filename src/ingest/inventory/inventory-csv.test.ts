import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/index.js';
import { isInventoryCsv, readInventoryCsv } from './inventory-csv.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-inventory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const HEADER = 'name,addresses,hostnames,os,label:app,label:env';
const GOOD = 'web-1,198.18.0.10,web-1.example.com,Debian 12,payments,prod';
const GOOD2 = 'db-1,"198.18.0.20; 2001:db8::20",,,payments,prod';

describe('readInventoryCsv() with bad rows', () => {
  it.each([
    {
      name: 'a bad address',
      row: 'web-2,198.18.0.300,,,,',
      want: 'column 2 "addresses" is "198.18.0.300": not an IP address',
    },
    { name: 'a lax address', row: 'web-2,0x7f.1,,,,', want: 'column 2 "addresses" is "0x7f.1"' },
    {
      name: 'an address another row already has',
      row: 'web-2,198.18.0.10,,,,',
      want: 'column 2 "addresses" holds 198.18.0.10, which line 2 already gives another workload',
    },
    {
      name: 'no address',
      row: 'web-2,,,,,',
      want: 'column 2 "addresses" is "": list one or more addresses',
    },
    {
      name: 'a bad label value',
      row: 'web-2,198.18.0.11,,,-pay,',
      want: 'column 5 "label:app" is "-pay": a label value must start',
    },
    { name: 'an empty name', row: ',198.18.0.11,,,,', want: 'column 1 "name" is ""' },
    {
      name: 'a name with blanks',
      row: 'web 2,198.18.0.11,,,,',
      want: 'column 1 "name" is "web 2"',
    },
    {
      name: 'a duplicate name',
      row: 'web-1,198.18.0.11,,,,',
      want: 'column 1 "name" is "web-1", which line 2 already uses',
    },
    {
      name: 'a bad host name',
      row: 'web-2,198.18.0.11,bad/host,,,',
      want: 'column 3 "hostnames" is "bad/host"',
    },
    { name: 'too few cells', row: 'web-2,198.18.0.11', want: 'row has 2 cells, the header has 6' },
    {
      name: 'an unquoted comma',
      row: 'web-2,198.18.0.11,,Linux, 5,,',
      want: 'row has 7 cells, the header has 6',
    },
    {
      name: 'text after a quote',
      row: 'web-2,"198.18.0.11"x,,,,',
      want: 'text "x" follows the closing quote of cell 2',
    },
  ])(
    'rejects $name with file, line and value, and keeps the good rows',
    async ({ name, row, want }) => {
      const file = await write(`${name}.csv`, `${HEADER}\n${GOOD}\n${row}\n${GOOD2}\n`);
      const report = await readInventoryCsv(file);
      expect(report).toMatchObject({ format: 'inventory-csv', read: 3, rejected: 1 });
      expect(report.workloads.map((workload) => workload.name)).toEqual(['web-1', 'db-1']);
      expect(report.issues).toEqual([{ file, line: 3, message: expect.stringContaining(want) }]);
    },
  );

  it.each([
    {
      name: 'no name column',
      text: 'host,addresses\nweb,198.18.0.1\n',
      want: 'needs a "name" and an "addresses" column; found "host", "addresses"',
      line: 1,
    },
    {
      name: 'no addresses column',
      text: 'name,ip\nweb,198.18.0.1\n',
      want: 'found "name", "ip"',
      line: 1,
    },
    {
      name: 'a repeated column',
      text: 'name,addresses,Name\n',
      want: 'column "name" appears 2 times',
      line: 1,
    },
    {
      name: 'a bad label key',
      text: 'name,addresses,label:App\n',
      want: 'column 3 "label:App" has label key "App"',
      line: 1,
    },
    {
      name: 'an unclosed quote',
      text: `${HEADER}\n${GOOD}\n"web-2,198.18.0.1\n`,
      want: 'quoted cell opened on line 3 never closes',
      line: 3,
    },
    { name: 'an empty file', text: '', want: 'the file is empty', line: 1 },
  ])('refuses a file with $name, naming file and line', async ({ name, text, want, line }) => {
    const file = await write(`refuse-${name}.csv`, text);
    const error = await readInventoryCsv(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(want);
    expect((error as InputError).place).toMatchObject({ file, line });
  });

  it('refuses a missing file with its name', async () => {
    const file = join(dir, 'absent.csv');
    await expect(readInventoryCsv(file)).rejects.toThrow(`Cannot read inventory "${file}"`);
  });
});

describe('readInventoryCsv() with good rows', () => {
  it('imports names, addresses, host names, OS and labels', async () => {
    const text = `\uFEFF${HEADER},notes\r\n${GOOD},"first, of many"\r\n${GOOD2},"says ""hi"""\r\n\r\n`;
    const report = await readInventoryCsv(await write('good.csv', text));
    expect(report).toMatchObject({ read: 2, rejected: 0, issues: [] });
    expect(report.workloads).toEqual([
      {
        name: 'web-1',
        addresses: ['198.18.0.10'],
        hostnames: ['web-1.example.com'],
        os: 'Debian 12',
        labels: { app: 'payments', env: 'prod' },
        discovered: false,
      },
      {
        name: 'db-1',
        addresses: ['198.18.0.20', '2001:db8::20'],
        labels: { app: 'payments', env: 'prod' },
        discovered: false,
      },
    ]);
  });

  it('splits address lists on blanks, ; and | and drops repeats', async () => {
    const text = 'name,addresses\nlb,"198.18.0.1 198.18.0.2;198.18.0.3|198.18.0.1"\n';
    const report = await readInventoryCsv(await write('lists.csv', text));
    expect(report.workloads[0]?.addresses).toEqual(['198.18.0.1', '198.18.0.2', '198.18.0.3']);
  });

  it('gives a row with an empty label cell no such label', async () => {
    const report = await readInventoryCsv(
      await write('empty-label.csv', 'name,addresses,label:env\nx,198.18.0.1,\n'),
    );
    expect(report.workloads[0]?.labels).toEqual({});
  });
});

describe('isInventoryCsv()', () => {
  it.each([
    { name: 'empty', text: '', want: false },
    { name: 'no addresses column', text: 'name,ip\n', want: false },
    { name: 'a VPC flow log', text: 'version srcaddr dstaddr\n', want: false },
    { name: 'nmap XML', text: '<?xml version="1.0"?>\n<nmaprun>', want: false },
    {
      name: 'an inventory header',
      text: 'name,addresses,label:app\nweb,198.18.0.1,x\n',
      want: true,
    },
    { name: 'quoted, any case, with BOM', text: '\uFEFF"Name","Addresses"\r\n', want: true },
  ])('$name → $want', ({ text, want }) => {
    expect(isInventoryCsv(Buffer.from(text))).toBe(want);
  });
});
