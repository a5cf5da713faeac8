import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readJsonRecords } from './records.js';
import type { JsonRecord } from './records.js';
import { tempDirForTest } from './testing.js';

const dir = tempDirForTest('json');
afterAll(() => {
  dir.remove();
});

async function records(
  name: string,
  content: string | Buffer,
  maxBytes?: number,
): Promise<JsonRecord[]> {
  const file = join(dir.path, name);
  writeFileSync(file, content);
  const out: JsonRecord[] = [];
  const options = maxBytes === undefined ? { what: 'test' } : { what: 'test', maxBytes };
  for await (const record of readJsonRecords(file, options)) out.push(record);
  return out;
}

const summary = (list: JsonRecord[]): unknown[] =>
  list.map((r) =>
    'problem' in r ? { line: r.line, problem: r.problem } : { line: r.line, value: r.value },
  );

describe('readJsonRecords()', () => {
  it.each([
    {
      name: 'a cut JSON line',
      text: '{"a":1}\n{"a":\n{"a":3}\n',
      want: [
        { line: 1, value: { a: 1 } },
        { line: 2, problem: expect.stringContaining('text "{"a":" is not JSON') },
        { line: 3, value: { a: 3 } },
      ],
    },
    {
      name: 'an array cut short',
      text: '[\n{"a":1},\n{"a":2',
      want: [
        { line: 2, value: { a: 1 } },
        { line: 3, problem: expect.stringContaining('never ends') },
      ],
    },
    {
      name: 'an array never closed',
      text: '[{"a":1},',
      want: [
        { line: 1, value: { a: 1 } },
        { line: 1, problem: expect.stringContaining('never closes') },
      ],
    },
    {
      name: 'text after an array',
      text: '[1]\nnope',
      want: [
        { line: 1, value: 1 },
        { line: 2, problem: expect.stringContaining('"nope" is outside the top-level array') },
      ],
    },
    {
      name: 'a value too large',
      text: '[\n{"a":"0123456789"},\n{"b":2}\n]',
      max: 10,
      want: [
        { line: 2, problem: expect.stringContaining('larger than 10') },
        { line: 3, value: { b: 2 } },
      ],
    },
    {
      name: 'stray text between objects',
      text: '{\n"a":1\n}\nx\n{\n"a":2}',
      want: [
        { line: 1, value: { a: 1 } },
        { line: 4, problem: expect.stringContaining('"x" is not inside a JSON object') },
        { line: 5, value: { a: 2 } },
      ],
    },
    {
      name: 'JSON lines with blanks and CRLF',
      text: '{"a":1}\r\n\r\n{"a":"}]"}\r\n',
      want: [
        { line: 1, value: { a: 1 } },
        { line: 3, value: { a: '}]' } },
      ],
    },
    {
      name: 'an array with brackets and escapes in strings',
      text: '[{"a":"[\\"x]"},\n {"b":[1,{"c":"}"}]}]',
      want: [
        { line: 1, value: { a: '["x]' } },
        { line: 2, value: { b: [1, { c: '}' }] } },
      ],
    },
    {
      name: 'pretty objects one after the other',
      text: '{\n  "a": 1\n}\n{\n  "a": 2\n}\n',
      want: [
        { line: 1, value: { a: 1 } },
        { line: 4, value: { a: 2 } },
      ],
    },
    { name: 'an empty file', text: '', want: [] },
  ])('$name', async ({ name, text, max, want }) => {
    expect(summary(await records(`${name}.json`, text, max))).toEqual(want);
  });

  it('reads gzip by content', async () => {
    expect(summary(await records('z.bin', gzipSync('[{"a":1}]')))).toEqual([
      { line: 1, value: { a: 1 } },
    ]);
  });

  it('refuses a missing file with its name', async () => {
    const file = join(dir.path, 'absent.json');
    const run = async (): Promise<void> => {
      for await (const record of readJsonRecords(file, { what: 'test flows' }))
        expect(record).toBeUndefined();
    };
    await expect(run()).rejects.toThrow(`Cannot read test flows "${file}"`);
  });
});
