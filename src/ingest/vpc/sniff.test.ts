import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isVpcFlowLog } from './sniff.js';

const V2 =
  '2 123456789010 eni-1 198.18.0.1 198.18.0.2 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK\n';

describe('isVpcFlowLog()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    { name: 'CSV inventory', text: 'name,addresses\nweb-1,10.0.0.1\n', want: false },
    { name: 'nmap XML', text: '<?xml version="1.0"?>\n<nmaprun>', want: false },
    { name: 'v3 record without header', text: '3 vpc-1 10.0.0.1 10.0.0.2\n', want: false },
    { name: '14 fields with a bad status', text: V2.replace(' OK', ' MAYBE'), want: false },
    { name: 'header without addresses', text: 'version account-id interface-id\n', want: false },
    { name: 'v2 record', text: V2, want: true },
    { name: 'v2 NODATA record', text: '2 1 eni-1 - - - - - - - 1 2 - NODATA\n', want: true },
    {
      name: 'custom header',
      text: 'interface-id pkt-srcaddr pkt-dstaddr\n- 10.0.0.1 10.0.0.2\n',
      want: true,
    },
    { name: 'leading blank lines', text: '\n\n' + V2, want: true },
  ])('$name → $want', ({ text, want }) => {
    expect(isVpcFlowLog(Buffer.from(text))).toBe(want);
  });

  it('looks inside a gzip head, even a truncated one', () => {
    const gz = gzipSync(Buffer.from(V2.repeat(200)));
    expect(isVpcFlowLog(gz.subarray(0, 200))).toBe(true);
    expect(isVpcFlowLog(Buffer.from([0x1f, 0x8b, 0, 0]))).toBe(false);
  });
});
