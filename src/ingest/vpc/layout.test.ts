import { describe, expect, it } from 'vitest';
import { InputError } from '../../domain/index.js';
import { createVpcLayout, parseVpcHeader } from './layout.js';

describe('parseVpcHeader()', () => {
  it.each([
    {
      name: 'a v2 record',
      line: '2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK',
      want: undefined,
    },
    {
      name: 'a custom record that starts with ids',
      line: '- eni-1 10.0.0.1 10.0.0.2',
      want: undefined,
    },
    { name: 'only unknown names', line: 'foo bar baz', want: undefined },
    { name: 'an empty line', line: '', want: undefined },
    {
      name: 'default fields',
      line: 'version srcaddr dstaddr',
      want: ['version', 'srcaddr', 'dstaddr'],
    },
    { name: 'format-string tokens', line: '${srcaddr} ${dstaddr}', want: ['srcaddr', 'dstaddr'] },
    {
      name: 'unknown names among known ones',
      line: 'srcaddr dstaddr new-field',
      want: ['srcaddr', 'dstaddr', 'new-field'],
    },
  ])('$name', ({ line, want }) => {
    expect(parseVpcHeader(line)).toEqual(want);
  });
});

describe('createVpcLayout()', () => {
  it.each([
    {
      name: 'a repeated field',
      fields: ['srcaddr', 'dstaddr', 'srcaddr'],
      want: 'field "srcaddr" is listed twice',
    },
    {
      name: 'no source address',
      fields: ['dstaddr', 'srcport'],
      want: 'the header lists dstaddr, srcport',
    },
    { name: 'no destination address', fields: ['pkt-srcaddr'], want: 'no dstaddr/pkt-dstaddr' },
  ])('refuses $name with the file and line', ({ fields, want }) => {
    const build = () => createVpcLayout(fields, { file: 'x.log', line: 3 });
    expect(build).toThrow(InputError);
    expect(build).toThrow(want);
    try {
      build();
    } catch (err) {
      expect((err as InputError).describe()).toMatch(/^x\.log:3: /);
    }
  });

  it('indexes fields in any order and marks absent ones -1', () => {
    const layout = createVpcLayout(['dstaddr', 'x-unknown', 'srcaddr'], { file: 'x.log' });
    expect([layout.srcaddr, layout.dstaddr, layout.srcport, layout.pktSrcaddr]).toEqual([
      2, 0, -1, -1,
    ]);
  });
});
