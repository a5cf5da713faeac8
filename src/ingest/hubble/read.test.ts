import { afterAll, describe, expect, it } from 'vitest';
import { readTextForTest, tempDirForTest } from '../json-records/testing.js';
import { readHubbleFlows } from './read.js';

const dir = tempDirForTest('hubble');
afterAll(() => {
  dir.remove();
});

const FLOW = {
  time: '2024-05-01T10:00:00.123456789Z',
  verdict: 'FORWARDED',
  IP: { source: '198.18.0.10', destination: '198.18.1.20', ipVersion: 'IPv4' },
  l4: { TCP: { source_port: 41000, destination_port: 9080, flags: { SYN: true } } },
  source: {
    namespace: 'shop',
    pod_name: 'web-1',
    labels: ['k8s:app=web', 'k8s:io.kubernetes.pod.namespace=shop', 'reserved:init'],
  },
  destination: {
    namespace: 'shop',
    pod_name: 'api-1',
    labels: ['k8s:app=api', 'k8s:Tier=Backend', 'k8s:bad key=x', 'k8s:empty='],
  },
  Type: 'L3_L4',
  node_name: 'node-a',
  traffic_direction: 'EGRESS',
  is_reply: false,
};
const line = (patch: object, wrap = true): string => {
  const flow = { ...FLOW, ...patch };
  return JSON.stringify(wrap ? { flow, node_name: 'node-a', time: FLOW.time } : flow);
};

describe('readHubbleFlows() with bad records', () => {
  it.each([
    {
      name: 'a bad source address',
      bad: line({ IP: { source: '198.18.0.300', destination: '198.18.1.20' } }),
      want: 'field "IP.source" is "198.18.0.300"',
    },
    {
      name: 'an IPv4 address in hex',
      bad: line({ IP: { source: '198.18.0.1', destination: '0xc6.18.1.20' } }),
      want: 'field "IP.destination" is "0xc6.18.1.20"',
    },
    {
      name: 'a port above 65535',
      bad: line({ l4: { TCP: { source_port: 70000, destination_port: 1 } } }),
      want: 'field "l4.TCP.source_port" is 70000',
    },
    {
      name: 'a port as text',
      bad: line({ l4: { UDP: { source_port: 'x', destination_port: 53 } } }),
      want: 'field "l4.UDP.source_port" is "x"',
    },
    {
      name: 'an ICMP type above 255',
      bad: line({ l4: { ICMPv4: { type: 300 } } }),
      want: 'field "l4.ICMPv4.type" is 300',
    },
    { name: 'a bad time', bad: line({ time: '10:00' }), want: 'field "time" is "10:00"' },
    {
      name: 'an l4 that is a list',
      bad: line({ l4: [] }),
      want: 'field "l4" is []: expected an object',
    },
    { name: 'a line that is not JSON', bad: '{"flow": {', want: 'is not JSON' },
    {
      name: 'a JSON value that is not an object',
      bad: '"flow"',
      want: 'record is "flow": expected a Hubble flow object',
    },
  ])(
    'rejects $name, names file, line and value, and keeps the good records',
    async ({ name, bad, want }) => {
      const good2 = line({
        l4: { TCP: { source_port: 41001, destination_port: 9080, flags: { SYN: true } } },
      });
      const { file, flows, report } = await readTextForTest(
        readHubbleFlows,
        dir.path,
        `${name}.json`,
        `${line({})}\n${bad}\n${good2}\n`,
      );
      expect(report).toMatchObject({ read: 3, flows: 2, rejected: 1 });
      expect(flows.map((flow) => flow.srcPort)).toEqual([41000, 41001]);
      expect(report.issues).toEqual([{ file, line: 2, message: expect.stringContaining(want) }]);
    },
  );
});

describe('readHubbleFlows() with good records', () => {
  it('turns a SYN into a handshake flow seen on its node, and names both pods once', async () => {
    const { flows, workloads } = await readTextForTest(
      readHubbleFlows,
      dir.path,
      'syn.json',
      `${line({})}\n${line({}, false)}\n`,
    );
    expect(flows).toHaveLength(2);
    expect(flows[0]).toEqual({
      src: '198.18.0.10',
      dst: '198.18.1.20',
      srcPort: 41000,
      dstPort: 9080,
      protocol: 6,
      start: Date.parse('2024-05-01T10:00:00.123Z'),
      end: Date.parse('2024-05-01T10:00:00.123Z'),
      packets: 1,
      bytes: 0,
      packetsReverse: 0,
      bytesReverse: 0,
      origin: 'handshake',
      tcpFlags: 2,
      action: 'accept',
      observer: 'node-a',
    });
    expect(workloads).toEqual([
      {
        name: 'shop/web-1',
        addresses: ['198.18.0.10'],
        labels: { app: 'web', namespace: 'shop' },
        discovered: true,
      },
      // Tier=Backend is lower-cased to tier; "bad key" and an empty value are dropped
      {
        name: 'shop/api-1',
        addresses: ['198.18.1.20'],
        labels: { app: 'api', tier: 'Backend', namespace: 'shop' },
        discovered: true,
      },
    ]);
  });

  it.each([
    { name: 'is_reply true', patch: { is_reply: true }, skip: 'reply' },
    { name: 'older reply true', patch: { is_reply: undefined, reply: true }, skip: 'reply' },
    {
      name: 'unknown status with a SYN-ACK',
      patch: {
        is_reply: undefined,
        l4: {
          TCP: { source_port: 9080, destination_port: 41000, flags: { SYN: true, ACK: true } },
        },
      },
      skip: 'reply',
    },
    {
      name: 'unknown status with an ACK',
      patch: {
        is_reply: undefined,
        l4: { TCP: { source_port: 9080, destination_port: 41000, flags: { ACK: true } } },
      },
      skip: 'reply status unknown',
    },
    {
      name: 'unknown status ICMP echo reply',
      patch: { is_reply: undefined, l4: { ICMPv4: { type: 0 } } },
      skip: 'reply',
    },
    { name: 'an L2 record', patch: { IP: undefined }, skip: 'no IP' },
    { name: 'a record without l4', patch: { l4: undefined }, skip: 'no l4' },
    { name: 'an ERROR verdict', patch: { verdict: 'ERROR' }, skip: 'verdict ERROR' },
  ])('skips $name under "$skip"', async ({ name, patch, skip }) => {
    const { report } = await readTextForTest(
      readHubbleFlows,
      dir.path,
      `${name}.json`,
      line(patch),
    );
    expect(report).toMatchObject({ read: 1, flows: 0, skipped: { [skip]: 1 } });
  });

  it.each([
    {
      name: 'DROPPED with its reason',
      patch: { verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED' },
      want: { action: 'reject', actionReason: 'POLICY_DENIED' },
    },
    {
      name: 'DROPPED without a reason',
      patch: { verdict: 'DROPPED' },
      want: { action: 'reject', actionReason: 'DROPPED' },
    },
    {
      name: 'AUDIT',
      patch: { verdict: 'AUDIT' },
      want: { action: 'accept', actionReason: 'AUDIT' },
    },
    {
      name: 'an ICMP echo request with unknown status',
      patch: { is_reply: undefined, l4: { ICMPv4: { type: 8, code: 0 } } },
      want: { protocol: 1, dstPort: 8, srcPort: 0, origin: 'sensor' },
    },
    {
      name: 'an ICMPv6 echo request',
      patch: { l4: { ICMPv6: { type: 128 } } },
      want: { protocol: 58, dstPort: 128 },
    },
    {
      name: 'UDP',
      patch: { l4: { UDP: { source_port: 5353, destination_port: 53 } } },
      want: { protocol: 17, dstPort: 53, origin: 'sensor' },
    },
  ])('reads $name', async ({ name, patch, want }) => {
    const { flows } = await readTextForTest(
      readHubbleFlows,
      dir.path,
      `v-${name}.json`,
      line(patch),
    );
    expect(flows[0]).toMatchObject(want);
  });

  it('skips records that hold no flow', async () => {
    const { report } = await readTextForTest(
      readHubbleFlows,
      dir.path,
      'lost.json',
      '{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":3}}',
    );
    expect(report).toMatchObject({ read: 1, flows: 0, skipped: { 'not a flow': 1 } });
  });

  it('refuses a missing file with its name', async () => {
    await expect(readHubbleFlows(`${dir.path}/absent.json`, () => undefined)).rejects.toThrow(
      `Cannot read Hubble flows "${dir.path}/absent.json"`,
    );
  });
});
