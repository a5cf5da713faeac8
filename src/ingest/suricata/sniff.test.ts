import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isSuricataEve } from './sniff.js';

const EVE =
  '{"timestamp":"2024-05-01T10:00:00+0000","event_type":"flow","src_ip":"198.18.0.1","dest_ip":"198.18.0.2"}\n';

describe('isSuricataEve()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    { name: 'text', text: 'event_type src_ip dest_ip', want: false },
    {
      name: 'a GCP flow log entry',
      text: '{"jsonPayload":{"connection":{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}}}',
      want: false,
    },
    {
      name: 'a Hubble flow',
      text: '{"flow":{"IP":{"source":"10.0.0.1"},"event_type":{"type":4}}}',
      want: false,
    },
    { name: 'an EVE line', text: EVE, want: true },
    {
      name: 'a Network Firewall array',
      text: `[{"firewall_name":"fw","event":${EVE.trim()}}]`,
      want: true,
    },
  ])('$name → $want', ({ text, want }) => {
    expect(isSuricataEve(Buffer.from(text))).toBe(want);
  });

  it('looks inside gzip', () => {
    expect(isSuricataEve(gzipSync(EVE))).toBe(true);
  });
});
