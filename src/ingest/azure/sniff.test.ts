import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isAzureFlowLog } from './sniff.js';

const NSG =
  '{"records":[{"category":"NetworkSecurityGroupFlowEvent","properties":{"Version":2,"flows":[{"rule":"r","flows":[{"mac":"A","flowTuples":[]}]}]}}]}';

describe('isAzureFlowLog()', () => {
  it.each([
    { name: 'empty input', text: '', want: false },
    {
      name: 'a VPC flow log line',
      text: '2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK\n',
      want: false,
    },
    { name: 'JSON without tuples', text: '{"records":[{"properties":{}}]}', want: false },
    { name: 'a Hubble flow', text: '{"flow":{"verdict":"FORWARDED"}}', want: false },
    { name: 'an NSG document', text: NSG, want: true },
    {
      name: 'a VNet document',
      text: '{"records":[{"flowRecords":{"flows":[{"flowGroups":[{"flowTuples":[]}]}]}}]}',
      want: true,
    },
  ])('$name → $want', ({ text, want }) => {
    expect(isAzureFlowLog(Buffer.from(text))).toBe(want);
  });

  it('looks inside gzip', () => {
    expect(isAzureFlowLog(gzipSync(NSG))).toBe(true);
  });

  it('recognises the shared samples when present', (ctx) => {
    const dir = join(import.meta.dirname, '../../../../shared/data/cloud-flow-logs/azure-docs');
    let text: Buffer;
    try {
      text = readFileSync(join(dir, 'vnet-flow-log-v4-sample.json'));
    } catch {
      ctx.skip(true, `${dir} is absent`);
      return;
    }
    expect(isAzureFlowLog(text)).toBe(true);
  });
});
