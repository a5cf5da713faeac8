import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileForTest } from '../json-records/testing.js';
import { readSuricataEve } from './read.js';

const FILE = join(
  import.meta.dirname,
  '../../../../shared/data/cloud-flow-logs/aws-real/opensearch-catalog-networkfirewall-sample.json',
);

describe(`readSuricataEve() on ${FILE}`, () => {
  it('reads 13 events: 8 netflow flows, 5 alerts skipped, 5 flows blocked by an earlier alert', async (ctx) => {
    ctx.skip(!existsSync(FILE), `${FILE} is absent`);
    const { flows, report } = await readFileForTest(readSuricataEve, FILE);
    expect(report).toMatchObject({
      format: 'suricata',
      read: 13,
      flows: 8,
      skipped: { 'event_type alert': 5 },
      rejected: 0,
    });
    const rejected = flows.filter((flow) => flow.action === 'reject');
    expect(rejected).toHaveLength(5);
    expect(new Set(rejected.map((flow) => flow.actionReason))).toEqual(
      new Set(['aws:alert_established action']),
    );
    expect(flows.filter((flow) => flow.action === undefined)).toHaveLength(3);
    // netflow events are one-way: the reply of 10.170.18.235:60448 → 8.8.8.8:443 is its own event
    expect(flows[0]).toMatchObject({
      src: '10.170.18.235',
      srcPort: 60448,
      dst: '8.8.8.8',
      dstPort: 443,
      protocol: 6,
      packets: 21,
      bytes: 1208,
      packetsReverse: 0,
      tcpFlags: 0x13,
      origin: 'unknown',
      observer: 'use1-fw',
      start: Date.parse('2025-02-24T14:39:44.200Z'),
      end: Date.parse('2025-02-24T14:40:47.636Z'),
    });
    expect(flows[1]).toMatchObject({ src: '54.242.115.112', srcPort: 80, dstPort: 59336 });
    // ICMP echo: the type is the destination "port"
    expect(flows.find((flow) => flow.protocol === 1)).toMatchObject({
      dstPort: 8,
      srcPort: 0,
      packets: 9,
      action: 'reject',
    });
    expect(flows.filter((flow) => flow.protocol === 17)).toHaveLength(1);
  });
});
