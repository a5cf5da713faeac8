import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileForTest } from '../json-records/testing.js';
import { readAzureFlowLog } from './read.js';

const AZURE = join(import.meta.dirname, '../../../../shared/data/cloud-flow-logs/azure-docs');

describe(`readAzureFlowLog() on ${AZURE}`, () => {
  it('nsg-flow-log-v2-sample.json: 11 tuples, 11 flows, 7 denied by DefaultRule_DenyAllInBound', async (ctx) => {
    ctx.skip(!existsSync(AZURE), `${AZURE} is absent`);
    const { flows, report } = await readFileForTest(
      readAzureFlowLog,
      join(AZURE, 'nsg-flow-log-v2-sample.json'),
    );
    expect(report).toMatchObject({ format: 'azure', read: 11, flows: 11, rejected: 0 });
    const denied = flows.filter((flow) => flow.action === 'reject');
    expect(denied).toHaveLength(7);
    expect(new Set(denied.map((flow) => flow.actionReason))).toEqual(
      new Set(['DefaultRule_DenyAllInBound']),
    );
    expect(denied.every((flow) => flow.dst === '10.5.16.4' && flow.origin === 'sensor')).toBe(true);
    expect(flows.every((flow) => flow.observer === '000D3AF87856')).toBe(true);
    // the first denied tuple is UDP to 443, with empty counters read as 0
    expect(flows[0]).toMatchObject({
      src: '192.0.2.190',
      dstPort: 443,
      protocol: 17,
      start: 1_542_110_402_000,
      packets: 0,
    });
    const allowed = flows.filter((flow) => flow.action === 'accept');
    expect(allowed.map((flow) => flow.dst).sort()).toEqual([
      '198.51.100.225',
      '203.0.113.115',
      '203.0.113.117',
      '203.0.113.118',
    ]);
    expect(allowed.find((flow) => flow.dst === '203.0.113.115')).toMatchObject({
      packets: 30,
      bytes: 16978,
      packetsReverse: 24,
      bytesReverse: 14008,
      actionReason: 'DefaultRule_AllowInternetOutBound',
    });
  });

  it('vnet-flow-log-v4-sample.json: 19 tuples, 14 flows (5 B+E pairs tied), 9 denied', async (ctx) => {
    ctx.skip(!existsSync(AZURE), `${AZURE} is absent`);
    const { flows, report } = await readFileForTest(
      readAzureFlowLog,
      join(AZURE, 'vnet-flow-log-v4-sample.json'),
    );
    expect(report).toMatchObject({ read: 19, flows: 14, rejected: 0 });
    const denied = flows.filter((flow) => flow.action === 'reject');
    expect(denied).toHaveLength(9);
    expect(
      denied.filter((flow) => flow.actionReason === 'BlockHighRiskTCPPortsFromInternet'),
    ).toHaveLength(2);
    expect(denied.filter((flow) => flow.actionReason === 'Internet')).toHaveLength(7);
    const allowed = flows.filter((flow) => flow.action === 'accept');
    expect(allowed).toHaveLength(5);
    // B at …017343 and E at …022793 of port 36776 are one conversation
    expect(allowed.find((flow) => flow.srcPort === 36776)).toMatchObject({
      src: '10.0.0.6',
      dst: '104.16.218.84',
      dstPort: 443,
      protocol: 6,
      start: 1_663_146_017_343,
      end: 1_663_146_022_793,
      packets: 22,
      bytes: 2217,
      packetsReverse: 33,
      bytesReverse: 32466,
      observer: '00224871C205',
      origin: 'sensor',
    });
  });
});
