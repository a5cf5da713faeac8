import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isGcpFlowLog } from './sniff.js';

const FIXTURE = readFileSync(join(import.meta.dirname, 'testdata', 'vpc-flows.jsonl'));

describe('isGcpFlowLog()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    {
      name: 'an audit log entry',
      text: '{"protoPayload":{"methodName":"x"},"logName":"projects/p/logs/cloudaudit"}',
      want: false,
    },
    {
      name: 'a Suricata event',
      text: '{"event_type":"flow","src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}',
      want: false,
    },
    { name: 'text naming the fields', text: 'jsonPayload connection', want: false },
  ])('$name → $want', ({ text, want }) => {
    expect(isGcpFlowLog(Buffer.from(text))).toBe(want);
  });

  it('recognises the fixtures, plain and gzip', () => {
    expect(isGcpFlowLog(FIXTURE)).toBe(true);
    expect(isGcpFlowLog(gzipSync(FIXTURE))).toBe(true);
  });
});
