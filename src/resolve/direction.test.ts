import { describe, expect, it } from 'vitest';

import { parseAddress } from '../domain/index.js';
import type { Flow, FlowOrigin } from '../domain/index.js';
import { aggregateEdges } from './aggregate.js';
import { listeningKey, orientFlows } from './direction.js';

function flowForTest(
  src: string,
  srcPort: number,
  dst: string,
  dstPort: number,
  origin: FlowOrigin = 'unknown',
  protocol = 6,
): Flow {
  return {
    src: parseAddress(src),
    dst: parseAddress(dst),
    srcPort,
    dstPort,
    protocol,
    start: 1_000,
    end: 2_000,
    packets: 3,
    bytes: 300,
    packetsReverse: 2,
    bytesReverse: 100,
    origin,
  };
}

const none = { listening: new Set<string>() };

describe('orientFlows()', () => {
  it.each([
    {
      name: 'handshake keeps the opener as client',
      flow: flowForTest('198.18.0.1', 50000, '198.18.0.2', 8888, 'handshake'),
      client: '198.18.0.1',
      port: 8888,
      evidence: 'handshake',
    },
    {
      name: 'sensor keeps the source as client',
      flow: flowForTest('198.18.0.1', 40000, '198.18.0.2', 41000, 'sensor'),
      client: '198.18.0.1',
      port: 41000,
      evidence: 'sensor',
    },
    {
      name: 'well-known port on the first sender flips',
      flow: flowForTest('198.18.0.2', 502, '198.18.0.1', 60759),
      client: '198.18.0.1',
      port: 502,
      evidence: 'well-known-port',
    },
    {
      name: 'registered service port flips (EtherNet/IP)',
      flow: flowForTest('198.18.0.2', 44818, '198.18.0.1', 2301),
      client: '198.18.0.1',
      port: 44818,
      evidence: 'service-port',
    },
    {
      name: 'registered service port kept',
      flow: flowForTest('198.18.0.1', 58454, '198.18.0.3', 1433),
      client: '198.18.0.1',
      port: 1433,
      evidence: 'service-port',
    },
    {
      name: 'lower port when nothing else tells',
      flow: flowForTest('198.18.0.1', 33002, '198.18.0.2', 33000, 'unknown', 17),
      client: '198.18.0.1',
      port: 33000,
      evidence: 'lower-port',
    },
    {
      name: 'ICMP keeps the request sender',
      flow: flowForTest('198.18.0.1', 0, '198.18.0.2', 8, 'unknown', 1),
      client: '198.18.0.1',
      port: 8,
      evidence: 'sensor',
    },
  ])('$name', ({ flow, client, port, evidence }) => {
    const [result] = orientFlows([flow], none);
    expect(result).toMatchObject({ client, port, evidence });
  });

  it.each([
    {
      name: 'multicast destination',
      flow: flowForTest('224.0.0.1', 4448, '198.18.0.2', 50074, 'unknown', 17),
      client: '198.18.0.2',
      port: 4448,
    },
    {
      name: 'broadcast from the unspecified address',
      flow: flowForTest('255.255.255.255', 4989, '0.0.0.0', 0, 'unknown', 17),
      client: '0.0.0.0',
      port: 4989,
    },
    {
      name: 'IPv6 multicast (DHCPv6)',
      flow: flowForTest('ff02::1:2', 547, 'fe80::1', 546, 'unknown', 17),
      client: 'fe80::1',
      port: 547,
    },
    {
      name: 'IGMP to a group, no ports',
      flow: flowForTest('224.0.0.22', 0, '198.18.0.7', 0, 'unknown', 2),
      client: '198.18.0.7',
      port: 0,
    },
  ])('never takes a group address as the client: $name', ({ flow, client, port }) => {
    const [result] = orientFlows([flow], none);
    expect(result).toMatchObject({ client, port, evidence: 'group-address' });
  });

  it('takes DHCPv6 547, not the client port 546, as the service between two hosts', () => {
    const [result] = orientFlows(
      [flowForTest('fe80::2', 546, 'fe80::1', 547)].map((f) => ({ ...f, protocol: 17 })),
      none,
    );
    expect(result).toMatchObject({
      client: 'fe80::2',
      server: 'fe80::1',
      port: 547,
      evidence: 'well-known-port',
    });
  });

  it('does not take a scanner source port hitting many ports of one host as a service', () => {
    const flows = [3097, 3063, 34980, 8080].map((port) =>
      flowForTest('203.0.113.11', 43261, '198.18.0.62', port),
    );
    const oriented = orientFlows(flows, none);
    expect(oriented.map((o) => o.server)).toEqual([
      '198.18.0.62',
      '198.18.0.62',
      '198.18.0.62',
      '198.18.0.62',
    ]);
  });

  it('takes a port listening per a scan as the server even when it is ephemeral', () => {
    const listening = new Set([listeningKey('198.18.0.2', 6, 49700)]);
    const [result] = orientFlows([flowForTest('198.18.0.2', 49700, '198.18.0.1', 49800)], {
      listening,
    });
    expect(result).toMatchObject({
      client: '198.18.0.1',
      server: '198.18.0.2',
      port: 49700,
      evidence: 'listening',
    });
  });

  it('learns listening ports from handshakes in the same batch for mid-session flows', () => {
    const flows = [
      flowForTest('198.18.0.1', 50001, '198.18.0.2', 40000, 'handshake'),
      flowForTest('198.18.0.2', 40000, '198.18.0.9', 50002),
    ];
    const [, second] = orientFlows(flows, none);
    expect(second).toMatchObject({
      client: '198.18.0.9',
      server: '198.18.0.2',
      evidence: 'listening',
    });
  });

  it('takes a port answering several peers as the server (fan-in)', () => {
    const flows = [
      flowForTest('198.18.0.5', 5026, '198.18.0.1', 41001, 'unknown', 17),
      flowForTest('198.18.0.2', 41002, '198.18.0.5', 5026, 'unknown', 17),
    ];
    const [first, second] = orientFlows(flows, none);
    expect(first).toMatchObject({
      server: '198.18.0.5',
      port: 5026,
      evidence: 'fan-in',
      flipped: true,
    });
    expect(second).toMatchObject({
      server: '198.18.0.5',
      port: 5026,
      evidence: 'fan-in',
      flipped: false,
    });
  });
});

describe('aggregateEdges()', () => {
  it('sums flows of one hour and edge, swapping counters of flipped flows', () => {
    const flows = orientFlows(
      [
        flowForTest('198.18.0.2', 502, '198.18.0.1', 60000),
        flowForTest('198.18.0.1', 60001, '198.18.0.2', 502, 'handshake'),
      ],
      none,
    );
    const edges = aggregateEdges(flows);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({
      client: '198.18.0.1',
      server: '198.18.0.2',
      port: 502,
      flows: 2,
      packetsToServer: 2 + 3,
      bytesToServer: 100 + 300,
      packetsToClient: 3 + 2,
      evidence: 'handshake',
    });
  });

  it('keeps different hours apart', () => {
    const late = {
      ...flowForTest('198.18.0.1', 60001, '198.18.0.2', 502, 'handshake'),
      start: 3_600_000 + 5,
      end: 3_600_000 + 9,
    };
    const edges = aggregateEdges(
      orientFlows([flowForTest('198.18.0.1', 60000, '198.18.0.2', 502, 'handshake'), late], none),
    );
    expect(edges.map((e) => e.hour)).toEqual([0, 3_600_000]);
  });
});
