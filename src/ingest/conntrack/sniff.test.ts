import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isConntrack } from './sniff.js';

const TESTDATA = join(import.meta.dirname, 'testdata');

describe('isConntrack()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    {
      name: 'a VPC flow log line',
      text: '2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK\n',
      want: false,
    },
    { name: 'nmap XML', text: '<?xml version="1.0"?>\n<nmaprun>', want: false },
    { name: 'src= without a protocol', text: 'src=10.0.0.1 dst=10.0.0.2\n', want: false },
    {
      name: 'a plain -L line',
      text: 'tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2\n',
      want: true,
    },
    {
      name: 'an event line',
      text: '[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=53\n',
      want: true,
    },
  ])('$name → $want', ({ text, want }) => {
    expect(isConntrack(Buffer.from(text))).toBe(want);
  });

  it('recognises both fixtures, plain and gzip', () => {
    for (const name of ['extended.txt', 'table.xml']) {
      const data = readFileSync(join(TESTDATA, name));
      expect(isConntrack(data), name).toBe(true);
      expect(isConntrack(gzipSync(data)), name).toBe(true);
    }
  });
});
