import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../domain/index.js';
import { readVpcFlowLog } from './read.js';

const DATA = join(import.meta.dirname, '../../../../shared/data/cloud-flow-logs');
const AWS_DOCS = join(DATA, 'aws-docs');
const AWS_REAL = join(DATA, 'aws-real');

async function readAll(
  file: string,
): Promise<{ flows: Flow[]; report: Awaited<ReturnType<typeof readVpcFlowLog>> }> {
  const flows: Flow[] = [];
  const report = await readVpcFlowLog(file, (flow) => flows.push(flow));
  return { flows, report };
}

const endpoints = (flows: Flow[]): string[] => flows.map((flow) => `${flow.src}>${flow.dst}`);

describe(`readVpcFlowLog() on ${AWS_REAL}`, () => {
  it('reads 775 records: 371 flows, 404 NODATA skipped', async (ctx) => {
    ctx.skip(!existsSync(AWS_REAL), `${AWS_REAL} is absent`);
    const { flows, report } = await readAll(join(AWS_REAL, 'opensearch-catalog-raw.log'));
    expect(report).toMatchObject({ read: 775, flows: 371, skipped: { NODATA: 404 }, rejected: 0 });
    expect(flows.filter((flow) => flow.protocol === 6)).toHaveLength(362);
    expect(flows.every((flow) => flow.action === 'accept' && flow.origin === 'unknown')).toBe(true);
  });
});

describe(`readVpcFlowLog() on ${AWS_DOCS}`, () => {
  it('v2-default.log: 7 records, 5 flows, one NODATA, one SKIPDATA', async (ctx) => {
    ctx.skip(!existsSync(AWS_DOCS), `${AWS_DOCS} is absent`);
    const { flows, report } = await readAll(join(AWS_DOCS, 'v2-default.log'));
    expect(report).toMatchObject({
      read: 7,
      flows: 5,
      skipped: { NODATA: 1, SKIPDATA: 1 },
      rejected: 0,
    });
    expect(flows.map((flow) => flow.action)).toEqual([
      'accept',
      'reject',
      'accept',
      'reject',
      'accept',
    ]);
    // ICMP: VPC flow logs carry no type or code; ports stay as logged.
    expect(flows[2]).toMatchObject({
      protocol: 1,
      srcPort: 0,
      dstPort: 0,
      start: 1_432_917_027_000,
    });
    expect(flows[4]!.src).toBe('2001:db8:1234:a100:8d6e:3477:df66:f105');
  });

  it('v3-tcp-flags.log: 8 flows, the two SYN-only records are handshakes', async (ctx) => {
    ctx.skip(!existsSync(AWS_DOCS), `${AWS_DOCS} is absent`);
    const { flows, report } = await readAll(join(AWS_DOCS, 'v3-tcp-flags.log'));
    expect(report).toMatchObject({ read: 8, flows: 8, rejected: 0 });
    expect(flows.map((flow) => flow.tcpFlags)).toEqual([2, 18, 2, 18, 1, 1, 3, 19]);
    expect(flows.filter((flow) => flow.origin === 'handshake')).toHaveLength(2);
    // packets and bytes come in the header's order (bytes before packets here).
    expect(flows[0]).toMatchObject({ bytes: 568, packets: 8 });
    // the record with the doubled blank still reads.
    expect(flows[7]).toMatchObject({ src: '10.0.0.62', dstPort: 43638 });
  });

  it('nat-gateway-custom.log: 6 flows between the pkt-* addresses', async (ctx) => {
    ctx.skip(!existsSync(AWS_DOCS), `${AWS_DOCS} is absent`);
    const { flows, report } = await readAll(join(AWS_DOCS, 'nat-gateway-custom.log'));
    expect(report).toMatchObject({ read: 6, flows: 6, rejected: 0 });
    expect(endpoints(flows)).toEqual([
      '10.0.1.5>203.0.113.5',
      '10.0.0.220>203.0.113.5',
      '203.0.113.5>10.0.0.220',
      '203.0.113.5>10.0.1.5',
      '10.0.1.5>203.0.113.5',
      '203.0.113.5>10.0.1.5',
    ]);
  });

  it('transit-gateway-custom.log: 4 flows between the pkt-* addresses', async (ctx) => {
    ctx.skip(!existsSync(AWS_DOCS), `${AWS_DOCS} is absent`);
    const { flows, report } = await readAll(join(AWS_DOCS, 'transit-gateway-custom.log'));
    expect(report).toMatchObject({ read: 4, flows: 4, rejected: 0 });
    expect(endpoints(flows)).toEqual([
      '10.20.33.164>10.40.2.236',
      '10.40.2.236>10.20.33.164',
      '10.20.33.164>10.40.2.236',
      '10.40.2.236>10.20.33.164',
    ]);
  });

  it('v5-service-traffic-path.log: 2 flows', async (ctx) => {
    ctx.skip(!existsSync(AWS_DOCS), `${AWS_DOCS} is absent`);
    const { flows, report } = await readAll(join(AWS_DOCS, 'v5-service-traffic-path.log'));
    expect(report).toMatchObject({ read: 2, flows: 2, rejected: 0 });
    expect(flows[0]).toMatchObject({
      src: '52.95.128.179',
      srcPort: 80,
      packets: 14,
      bytes: 15044,
      tcpFlags: 19,
    });
  });
});
