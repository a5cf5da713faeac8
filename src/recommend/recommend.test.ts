import { describe, expect, it } from 'vitest';

import type { Address, Workload } from '../domain/index.js';
import { loadPolicy } from '../policy/index.js';
import type { MapEdge } from '../map/index.js';
import { recommendIncremental } from './incremental.js';
import type { LearnedEdge } from './learn-edges.js';
import { recommend } from './recommend.js';

const DAY = 86_400_000;

function workloadForTest(
  name: string,
  address: string,
  labels: Record<string, string> = {},
): Workload {
  return { name, addresses: [address as Address], labels, discovered: false };
}

function edgeForTest(
  client: string,
  server: string,
  service: string,
  flows: number,
  days: number[] = [0],
): LearnedEdge {
  const [proto, port] = service.split('/') as [string, string];
  return {
    client,
    server,
    clientAddress: '198.18.0.250' as Address,
    serverAddress: '198.18.0.251' as Address,
    protocol: proto === 'tcp' ? 6 : 17,
    port: Number(port),
    service,
    flows,
    rejected: 0,
    packets: flows * 2,
    bytes: flows * 100,
    firstSeen: days[0]! * DAY,
    lastSeen: days[days.length - 1]! * DAY + 1000,
    evidence: 'handshake',
    activeDays: days,
  };
}

// Three web servers, two of which talk to one of two databases; a resolver.
const workloads = [
  workloadForTest('web-1', '198.18.0.1', { role: 'web' }),
  workloadForTest('web-2', '198.18.0.2', { role: 'web' }),
  workloadForTest('web-3', '198.18.0.3', { role: 'web' }),
  workloadForTest('db-1', '198.18.0.11', { role: 'db' }),
  workloadForTest('db-2', '198.18.0.12', { role: 'db' }),
  workloadForTest('dns-1', '198.18.0.53', {}),
];
const withAddresses = (e: LearnedEdge): LearnedEdge => ({
  ...e,
  clientAddress: workloads.find((w) => w.name === e.client)!.addresses[0]!,
  serverAddress: workloads.find((w) => w.name === e.server)!.addresses[0]!,
});
const edges = [
  edgeForTest('web-1', 'db-1', 'tcp/5432', 40, [0, 1, 2, 3]),
  edgeForTest('web-2', 'db-1', 'tcp/5432', 2, [1]),
  edgeForTest('web-1', 'dns-1', 'udp/53', 5, [0]),
  edgeForTest('db-1', 'dns-1', 'udp/53', 1, [2]),
].map(withAddresses);

describe('recommend() on a hand-computed case', () => {
  const rec = recommend(workloads, edges, { by: ['role'] });

  it('puts DNS in the infrastructure tier as one shared rule with the whole DNS service', () => {
    const infra = rec.rules.filter((r) => r.tier === 'infrastructure');
    expect(infra.map((r) => [r.id, r.from, r.to, r.services])).toEqual([
      ['infra-dns', [{ role: 'db' }, { role: 'web' }], ['workload:dns-1'], ['dns']],
    ]);
    expect(infra[0]!.reason).toMatch(/^infrastructure: name resolution/);
    expect(rec.document.services).toMatchObject({ dns: ['udp/53', 'tcp/53'] });
  });

  it('covers every flow: 48 of 48', () => {
    expect(rec.coverage).toMatchObject({
      observedFlows: 48,
      allowedFlows: 48,
      ratio: 1,
      denied: [],
    });
  });

  it('computes tightness: (3 web × 2 db × 1) + (5 clients × 1 server × 1) = 11 allowed over 4 observed', () => {
    // web→db: role=web has 3 members, role=db 2, one service: 6. DNS: from web (3) and db (2)
    // to dns-1 (1), one service: 5. Observed triples: web-1→db-1, web-2→db-1, web-1→dns-1, db-1→dns-1.
    expect(rec.tightness).toEqual({ allowed: 11, observed: 4, ratio: 11 / 4 });
  });

  it('gives each rule its confidence and flags', () => {
    const web = rec.rules.find((r) => r.id === 'web-to-db')!;
    expect(web.confidence).toEqual({ flows: 42, days: 4, clients: 2, servers: 1, level: 'high' });
    expect(web.flags).toEqual([]);
    const dns = rec.rules.find((r) => r.id === 'infra-dns')!;
    expect(dns.confidence).toEqual({ flows: 6, days: 2, clients: 2, servers: 1, level: 'medium' });
  });

  it('flags rare rules and services seen once', () => {
    const once = recommend(
      workloads,
      [edgeForTest('web-3', 'db-2', 'tcp/6379', 1)].map(withAddresses),
      {
        by: ['role'],
      },
    );
    expect(once.rules[0]!.confidence.level).toBe('low');
    expect(once.rules[0]!.flags.map((f) => f.kind)).toEqual(['rare', 'seen-once']);
  });

  it('says which flows it excluded, and coverage drops by exactly them', () => {
    const cut = recommend(workloads, edges, {
      by: [],
      exclude: [{ client: 'web-2', service: 'tcp/5432', reason: 'penetration test on day 1' }],
    });
    expect(cut.coverage.excluded.map((x) => [x.edge.client, x.reason])).toEqual([
      ['web-2', 'penetration test on day 1'],
    ]);
    expect(cut.coverage).toMatchObject({ observedFlows: 48, allowedFlows: 46 });
  });

  it('groups outside clients into the internet network', () => {
    const outside: Workload = {
      name: '8.8.4.4',
      addresses: ['8.8.4.4' as Address],
      labels: {},
      discovered: true,
    };
    const more = [
      ...edges,
      {
        ...edgeForTest('8.8.4.4', 'web-1', 'tcp/443', 3),
        clientAddress: '8.8.4.4' as Address,
        serverAddress: '198.18.0.1' as Address,
      },
    ];
    const rec2 = recommend([...workloads, outside], more, { by: ['role'] });
    expect(rec2.rules.find((r) => r.services.includes('https'))!.from).toEqual([
      'network:internet',
    ]);
    expect(rec2.coverage.ratio).toBe(1);
  });
});

describe('recommend() and dynamic RPC', () => {
  const hosts = [workloadForTest('app', '198.18.1.1'), workloadForTest('dc', '198.18.1.2')];
  const rpc = (
    service: string,
    first: number,
    evidence: MapEdge['evidence'] = 'handshake',
  ): MapEdge => ({
    ...edgeForTest('app', 'dc', service, 1),
    firstSeen: first,
    lastSeen: first + 10,
    evidence,
  });

  it('makes ports reached after tcp/135 one rpc-dynamic service, and leaves others alone', () => {
    const rec = recommend(
      hosts,
      [rpc('tcp/135', 0), rpc('tcp/49701', 5), rpc('tcp/49702', 6), rpc('tcp/8081', 7)],
      {
        by: [],
      },
    );
    expect(rec.rules[0]!.services).toEqual(['msrpc', 'rpc-dynamic', 'tcp/8081']);
    expect(rec.document.services).toMatchObject({ 'rpc-dynamic': 'tcp/49152-65535' });
  });

  it('does not call a dynamic-range port RPC without an endpoint-mapper call, and flags it', () => {
    const rec = recommend(hosts, [rpc('tcp/49701', 5, 'fan-in')], { by: [] });
    expect(rec.rules[0]!.services).toEqual(['tcp/49701']);
    expect(rec.rules[0]!.flags.map((f) => f.kind)).toContain('unexplained-dynamic-port');
  });
});

describe('recommendIncremental()', () => {
  it('proposes only what the current policy denies by default, and reports explicit denies', () => {
    const { policy } = loadPolicy(
      [
        'version: 1',
        'tiers:',
        '  - name: observed',
        '    rules:',
        '      - {id: web-db, from: {role: web}, to: {role: db}, services: [tcp/5432]}',
        '      - {id: no-db-dns, action: deny, from: {role: db}, to: workload:dns-1, services: any}',
      ].join('\n'),
      'current.yaml',
    );
    const inc = recommendIncremental(policy!, workloads, edges, { by: ['role'] });
    expect(inc.allowed).toEqual({ edges: 2, flows: 42 });
    expect(inc.deniedByRule.map((d) => [d.edge.client, d.rule])).toEqual([['db-1', 'no-db-dns']]);
    expect(inc.rules.map((r) => [r.id, r.from, r.to])).toEqual([
      ['infra-dns', [{ role: 'web' }], ['workload:dns-1']],
    ]);
    expect(inc.issues).toEqual([]);
    expect(inc.next!.tiers.map((t) => t.name)).toEqual(['observed', 'infrastructure']);
  });
});
