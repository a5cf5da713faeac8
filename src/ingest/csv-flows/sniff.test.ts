import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isCsvFlows } from './sniff.js';

describe('isCsvFlows()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    { name: 'an inventory CSV', text: 'name,addresses\nweb-1,10.0.0.1\n', want: false },
    { name: 'only src', text: 'src,dport\n', want: false },
    { name: 'a VPC header', text: 'version srcaddr dstaddr\n', want: false },
    { name: 'default names', text: 'src,dst,dport,proto\n10.0.0.1,10.0.0.2,53,udp\n', want: true },
    { name: 'quoted upper-case names', text: '"SRC","DST"\n', want: true },
  ])('$name → $want', ({ text, want }) => {
    expect(isCsvFlows(Buffer.from(text))).toBe(want);
  });

  it('looks inside gzip', () => {
    expect(isCsvFlows(gzipSync('src,dst\n'))).toBe(true);
  });
});
