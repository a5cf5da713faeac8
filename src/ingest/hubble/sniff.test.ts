import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isHubbleFlows } from './sniff.js';

const FLOW =
  '{"flow":{"time":"2024-05-01T10:00:00Z","verdict":"FORWARDED","IP":{"source":"10.0.0.1","destination":"10.0.0.2"}},"node_name":"n"}\n';

describe('isHubbleFlows()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    { name: 'text', text: 'verdict IP node_name', want: false },
    {
      name: 'a Suricata alert with a verdict',
      text: '{"event_type":"alert","src_ip":"10.0.0.1","verdict":{"action":"drop"}}',
      want: false,
    },
    { name: 'a wrapped flow', text: FLOW, want: true },
    { name: 'a bare flow', text: '{"verdict":"DROPPED","IP":{"source":"10.0.0.1"}}', want: true },
  ])('$name → $want', ({ text, want }) => {
    expect(isHubbleFlows(Buffer.from(text))).toBe(want);
  });

  it('looks inside gzip', () => {
    expect(isHubbleFlows(gzipSync(FLOW))).toBe(true);
  });
});
