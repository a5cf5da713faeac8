import { describe, expect, it } from 'vitest';

import type { Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/map.js';
import { addressForTest, loadPolicyForTest } from '../load-for-test.js';

import { lintPolicy } from './lint-policy.js';

const workloads: Workload[] = [
  { name: 'web-1', role: 'web', ip: '198.18.0.10' },
  { name: 'api-1', role: 'api', ip: '198.18.0.20' },
  { name: 'db-1', role: 'db', ip: '198.18.0.30' },
  { name: 'dns-1', role: 'dns', ip: '198.18.0.53' },
].map(({ name, role, ip }) => ({
  name,
  labels: { app: 'shop', role, env: 'prod' },
  addresses: [addressForTest(ip)],
  discovered: false,
}));

// Every policy below allows DNS, so only the finding under test shows up.
const DNS_RULE = '{id: dns, from: any, to: {role: dns}, services: [udp/53]}';

const edge = (client: string, server: string, port: number, protocol = 6): MapEdge => ({
  client,
  server,
  protocol,
  port,
  service: `${protocol === 6 ? 'tcp' : 'udp'}/${port}`,
  flows: 3,
  rejected: 0,
  packets: 30,
  bytes: 3000,
  firstSeen: 0,
  lastSeen: 1,
  evidence: 'handshake',
});

const policy = (rules: string, tiers = ''): string =>
  `version: 1\ntiers:\n${tiers}  - name: apps\n    rules:\n      - ${DNS_RULE}\n${rules
    .trim()
    .split('\n')
    .map((line) => `      - ${line.trim()}`)
    .join('\n')}\n`;

const GUARD = `  - name: guard\n    rules:\n      - {id: no-api-db, action: deny, from: {role: api}, to: {role: db}, services: any}\n`;

describe('lintPolicy()', () => {
  it.each([
    {
      name: 'a side that selects no workload',
      text: policy('{id: ghost, from: {role: web}, to: {role: cache}, services: [tcp/6379]}'),
      code: 'matches_nothing',
      rule: 'ghost',
      says: 'its to side selects none of the 4 workloads',
    },
    {
      name: 'a rule no stored flow hits',
      text: policy('{id: web-api, from: {role: web}, to: {role: api}, services: [tcp/8080]}'),
      edges: [edge('web-1', 'db-1', 5432), edge('web-1', 'dns-1', 53, 17)],
      code: 'never_hit',
      rule: 'web-api',
      says: 'none of the 6 flows on 2 edges',
    },
    {
      name: 'an allow decided first by an earlier tier',
      text: policy('{id: api-db, from: {role: api}, to: {role: db}, services: [tcp/5432]}', GUARD),
      code: 'shadowed',
      rule: 'api-db',
      says: 'decided first by tier "guard"',
    },
    {
      name: 'an allow under a deny of its own tier',
      text: policy(`
        {id: web-db, from: {role: web}, to: {role: db}, services: [tcp/5432]}
        {id: no-db, action: deny, from: any, to: {role: db}, services: [tcp/5432-5433]}`),
      code: 'shadowed',
      rule: 'web-db',
      says: 'deny rule "no-db"',
    },
    {
      name: 'an allow covered by another allow of its tier',
      text: policy(`
        {id: web-db-wide, from: {role: web}, to: {role: db}, services: [tcp/5432-5440]}
        {id: web-db, from: workload:web-1, to: 198.18.0.30, services: [tcp/5432]}`),
      code: 'redundant',
      rule: 'web-db',
      says: 'rule "web-db-wide" of the same tier allows every flow it matches',
    },
    {
      name: 'an allow of every port',
      text: policy('{id: web-all, from: {role: web}, to: {role: api}, services: [tcp]}'),
      code: 'overly_broad',
      rule: 'web-all',
      says: 'it opens every port',
    },
    {
      name: 'an allow from the whole IPv4 space',
      text: policy('{id: open, from: 0.0.0.0/0, to: {role: web}, services: [tcp/443]}'),
      code: 'overly_broad',
      rule: 'open',
      says: 'its from side is a whole address family (/0)',
    },
    {
      name: 'an allow and a deny of one tier that meet',
      text: policy(`
        {id: app-db, from: {role: [web, api]}, to: {role: db}, services: [tcp/5432]}
        {id: no-api-db, action: deny, from: {role: api}, to: {role: db}, services: any}`),
      code: 'conflict',
      rule: 'app-db',
      says: 'for example api-1 → db-1 on tcp/5432',
    },
    {
      name: 'a workload allowed out but not to DNS',
      text: `version: 1
rules:
  - {id: web-api, from: {role: web}, to: {role: api}, services: [tcp/8080]}
  - {id: dns, from: {role: api}, to: {role: dns}, services: [udp/53]}`,
      code: 'no_dns',
      rule: undefined,
      says: 'workload "web-1"',
    },
    {
      name: 'a label key no workload carries',
      text: policy('{id: tiered, from: {tier: front}, to: {role: api}, services: [tcp/8080]}'),
      code: 'unknown_label',
      rule: undefined,
      says: 'label key "tier" used by rule "tiered" on any workload: no workload carries it; known keys are app, env, role',
    },
    {
      name: 'a label value no workload carries',
      text: policy('{id: typo, from: {role: wbe}, to: {role: api}, services: [tcp/8080]}'),
      code: 'unknown_label',
      rule: undefined,
      says: 'known values of role are api, db, dns, web',
    },
  ])('lintPolicy() reports $code for $name', ({ text, edges, code, rule, says }) => {
    const findings = lintPolicy(
      loadPolicyForTest(text),
      edges === undefined ? { workloads } : { workloads, edges },
    );
    const found = findings.filter((finding) => finding.code === code);

    expect(found).toHaveLength(1);
    expect(found[0]?.rule).toBe(rule);
    expect(found[0]?.message).toContain(says);
    expect(found[0]?.message).toMatch(/^Cannot [^:]+"[^"]+"[^:]*: .+; .+$/);
  });

  it('lintPolicy() finds nothing in a tidy policy', () => {
    const text = policy(`
      {id: web-api, from: {role: web}, to: {role: api}, services: [tcp/8080]}
      {id: api-db, from: {role: api}, to: {role: db}, services: [tcp/5432]}`);
    expect(lintPolicy(loadPolicyForTest(text), { workloads })).toEqual([]);
  });

  it('lintPolicy() reports an allow of everything between everything as an error', () => {
    const findings = lintPolicy(
      loadPolicyForTest(policy('{id: open, from: any, to: any, services: any}')),
      {
        workloads,
      },
    );
    expect(findings.find((finding) => finding.code === 'overly_broad')).toMatchObject({
      severity: 'error',
      rule: 'open',
      place: { file: 'test.yaml', line: 6 },
    });
  });

  it('lintPolicy() leaves out expired rules when given an instant', () => {
    const text = policy(
      '{id: old, from: {role: web}, to: {role: cache}, services: [tcp/1], expires: 2020-01-01}',
    );
    const codes = (at?: number) =>
      lintPolicy(loadPolicyForTest(text), at === undefined ? { workloads } : { workloads, at }).map(
        (f) => f.code,
      );
    expect(codes()).toContain('matches_nothing');
    expect(codes(Date.parse('2021-01-01T00:00:00Z'))).not.toContain('matches_nothing');
  });
});
