import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv.js';

const records = (text: string) => [...parseCsv(text)];

describe('parseCsv()', () => {
  it.each([
    { name: 'unclosed quote', text: 'a,b\n1,"two\n3,4\n', line: 2 },
    { name: 'unclosed quote on the first line', text: '"a,b', line: 1 },
    { name: 'unclosed after a doubled quote', text: 'a\n"x""\n', line: 2 },
  ])('throws CsvSyntaxError with the line for $name', ({ text, line }) => {
    expect(() => records(text)).toThrow(CsvSyntaxError);
    try {
      records(text);
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(line);
    }
  });

  it('marks a record with text after a closing quote and keeps reading', () => {
    const got = records('"ab"c,d\ne,f\n');
    expect(got[0]?.problem).toBe(
      'text "c" follows the closing quote of cell 1: put the whole cell in quotes',
    );
    expect(got[1]).toEqual({ line: 2, cells: ['e', 'f'] });
  });

  it.each([
    { name: 'plain cells', text: 'a,b,c', want: [['a', 'b', 'c']] },
    { name: 'empty cells', text: ',,', want: [['', '', '']] },
    { name: 'comma in quotes', text: '"a,b",c', want: [['a,b', 'c']] },
    { name: 'doubled quotes', text: '"say ""hi""",x', want: [['say "hi"', 'x']] },
    { name: 'empty quoted cell', text: '"",x', want: [['', 'x']] },
    {
      name: 'CRLF records',
      text: 'a,b\r\nc,d\r\n',
      want: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    },
    { name: 'byte-order mark', text: '\uFEFFname,x', want: [['name', 'x']] },
    { name: 'no final newline', text: 'a\nb', want: [['a'], ['b']] },
  ])('splits $name', ({ text, want }) => {
    expect(records(text).map((record) => record.cells)).toEqual(want);
  });

  it('numbers records by the line they start on, past line breaks in quotes', () => {
    const got = records('a,b\n"x\ny",z\nlast,1\n');
    expect(got.map((record) => record.line)).toEqual([1, 2, 4]);
    expect(got[1]?.cells).toEqual(['x\ny', 'z']);
  });
});
