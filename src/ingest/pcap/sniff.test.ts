import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pcapForTest, pcapngForTest } from './capture-for-test.js';
import { isPcap } from './index.js';

describe('isPcap()', () => {
  it.each([
    { name: 'empty', head: Buffer.alloc(0), want: false },
    { name: 'text', head: Buffer.from('#separator \\x09\n'), want: false },
    { name: 'a pcap magic cut to 3 bytes', head: Buffer.from([0xd4, 0xc3, 0xb2]), want: false },
    {
      name: 'pcapng type with a wrong byte-order magic',
      head: Buffer.from([10, 13, 13, 10, 28, 0, 0, 0, 1, 2, 3, 4]),
      want: false,
    },
    { name: 'gzip of text', head: gzipSync('hello'), want: false },
    { name: 'pcap, little-endian microseconds', head: pcapForTest([]), want: true },
    {
      name: 'pcap, big-endian nanoseconds',
      head: pcapForTest([], { bigEndian: true, nanoseconds: true }),
      want: true,
    },
    { name: 'pcapng', head: pcapngForTest([], []), want: true },
    { name: 'gzip of pcap', head: gzipSync(pcapForTest([])), want: true },
  ])('says $want for $name', ({ head, want }) => {
    expect(isPcap(head)).toBe(want);
  });
});
