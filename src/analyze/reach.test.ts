import { describe, expect, it } from 'vitest';

import { parseAddress } from '../domain/index.js';
import type { EdgeHour, Workload } from '../domain/index.js';
import { loadPolicy } from '../policy/index.js';
import { blastRadius } from './blast-radius.js';
import { checkIsolation } from './isolation.js';
import { reachMatrix } from './matrix.js';
import { attackPaths } from './paths.js';
import { buildReachGraph } from './reach-graph.js';
import { compareSimulations, simulate } from './simulate.js';

function policyForTest(text: string) {
  const { policy, issues } = loadPolicy(text, 'test.yaml');
  if (!policy) throw new Error(issues.map((i) => i.message).join('\n'));
  return policy;
}

const workloads: Workload[] = [
  {
    name: 'web-1',
    addresses: [parseAddress('198.18.0.1')],
    labels: { app: 'shop', role: 'web' },
    discovered: false,
  },
  {
    name: 'web-2',
    addresses: [parseAddress('198.18.0.2')],
    labels: { app: 'shop', role: 'web' },
    discovered: false,
  },
  {
    name: 'api-1',
    addresses: [parseAddress('198.18.0.3')],
    labels: { app: 'shop', role: 'api' },
    discovered: false,
  },
  {
    name: 'db-1',
    addresses: [parseAddress('198.18.0.4')],
    labels: { app: 'pay', role: 'db' },
    discovered: false,
  },
  {
    name: 'jump',
    addresses: [parseAddress('198.18.0.9')],
    labels: { role: 'admin' },
    discovered: false,
  },
];

const POLICY = `
version: 1
networks:
  internet: {cidrs: [0.0.0.0/0], except: [198.18.0.0/15]}
segments:
  cde: {select: {app: pay}, isolated: true, exceptions: [api-db]}
tiers:
  - name: guard
    rules:
      - {id: no-web-db, action: deny, from: {role: web}, to: {role: db}, services: any}
  - name: apps
    rules:
      - {id: in, from: network:internet, to: {role: web}, services: [tcp/443]}
      - {id: web-api, from: {role: web}, to: {role: api}, services: [tcp/8000-8010]}
      - {id: api-db, from: {role: api}, to: {role: db}, services: [tcp/5432]}
      - {id: admin, from: {role: admin}, to: any, services: [tcp/22]}
`;

describe('buildReachGraph()', () => {
  const policy = policyForTest(POLICY);
  const graph = buildReachGraph(policy, workloads);

  it('puts workloads the policy cannot tell apart in one party', () => {
    expect(graph.partyOf.get('web-1')).toBe(graph.partyOf.get('web-2'));
    expect(graph.partyOf.get('web-1')).not.toBe(graph.partyOf.get('api-1'));
  });

  it('gives each reach its exact services and rules, deny tiers included', () => {
    const cells = reachMatrix(graph, ['role']);
    const cell = (from: string, to: string) => cells.find((c) => c.from === from && c.to === to);
    expect(cell('role=web', 'role=api')).toMatchObject({
      services: ['tcp/8000-8010'],
      rules: ['web-api'],
    });
    expect(cell('role=api', 'role=db')).toMatchObject({
      services: ['tcp/5432'],
      rules: ['api-db'],
    });
    expect(cell('role=web', 'role=db')).toBeUndefined();
    expect(cell('network:internet', 'role=web')).toMatchObject({ services: ['tcp/443'] });
    expect(cell('role=admin', 'role=db')).toMatchObject({ services: ['tcp/22'], rules: ['admin'] });
  });

  it('refutes an isolated segment with a counterexample naming the rule, and proves it once the rule is gone', () => {
    const [result] = checkIsolation(graph);
    expect(result).toMatchObject({ segment: 'cde', holds: false });
    expect(result!.counterexamples).toEqual([
      { source: 'jump', destination: 'db-1', service: 'tcp/22', rule: 'admin', direction: 'into' },
    ]);
    const fixed = policyForTest(
      POLICY.replace('to: any, services: [tcp/22]', 'to: {app: shop}, services: [tcp/22]'),
    );
    expect(checkIsolation(buildReachGraph(fixed, workloads))).toEqual([
      { segment: 'cde', holds: true, counterexamples: [] },
    ]);
  });

  it('walks lateral movement hop by hop for the blast radius', () => {
    const radius = blastRadius(graph, 'web-1');
    expect(radius.total).toBe(4);
    expect(radius.reached.map((r) => [r.workload, r.hops])).toEqual([
      ['api-1', 1],
      ['db-1', 2],
    ]);
    expect(blastRadius(graph, 'web-1', 1).reached.map((r) => r.workload)).toEqual(['api-1']);
    expect(blastRadius(graph, 'db-1').reached).toEqual([]);
  });

  it('lists the shortest attack paths into a segment, networks first', () => {
    const paths = attackPaths(graph, [{ kind: 'segment', name: 'cde' }]);
    expect(paths[0]).toMatchObject({
      start: 'network:internet',
      hops: [
        { to: 'web-1 (+1 alike)', rules: ['in'] },
        { to: 'api-1', rules: ['web-api'] },
        { to: 'db-1', rules: ['api-db'] },
      ],
    });
  });
});

describe('compareSimulations()', () => {
  const edge = (client: string, server: string, port: number, flows: number): EdgeHour => ({
    hour: 0,
    client: parseAddress(client),
    server: parseAddress(server),
    protocol: 6,
    port,
    firstSeen: 0,
    lastSeen: 1,
    flows,
    rejected: 0,
    packetsToServer: flows,
    bytesToServer: flows * 100,
    packetsToClient: flows,
    bytesToClient: flows * 100,
    evidence: 'handshake',
  });
  const edges = [
    edge('198.18.0.1', '198.18.0.3', 8000, 5),
    edge('198.18.0.2', '198.18.0.3', 8005, 2),
    edge('198.18.0.3', '198.18.0.4', 5432, 7),
  ];

  it('reports exactly the removed rule edges as newly denied, with their flows', () => {
    const before = simulate(policyForTest(POLICY), workloads, edges);
    const after = simulate(
      policyForTest(POLICY.replace(/\n.*id: web-api.*\n/, '\n')),
      workloads,
      edges,
    );
    const changes = compareSimulations(before, after);
    expect(
      changes.map((c) => [
        c.change,
        c.edge.client,
        c.edge.service,
        c.edge.flows,
        c.before.rule,
        c.after.rule,
      ]),
    ).toEqual([
      ['newly denied', 'web-1', 'tcp/8000', 5, 'web-api', null],
      ['newly denied', 'web-2', 'tcp/8005', 2, 'web-api', null],
    ]);
    expect(before.hits.find((h) => h.rule === 'web-api')).toMatchObject({ edges: 2, flows: 7 });
  });
});
