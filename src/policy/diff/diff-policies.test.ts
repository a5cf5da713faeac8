import { describe, expect, it } from 'vitest';

import type { Policy, Workload } from '../../domain/index.js';
import { addressForTest, loadPolicyForTest } from '../load-for-test.js';

import { diffPolicies } from './diff-policies.js';

const workloads: Workload[] = [
  { name: 'web-1', role: 'web', env: 'prod', ip: '198.18.0.10' },
  { name: 'web-2', role: 'web', env: 'prod', ip: '198.18.0.11' },
  { name: 'api-1', role: 'api', env: 'prod', ip: '198.18.0.20' },
  { name: 'api-dev', role: 'api', env: 'dev', ip: '198.18.0.21' },
  { name: 'db-1', role: 'db', env: 'prod', ip: '198.18.0.30' },
].map(({ name, role, env, ip }) => ({
  name,
  labels: { app: 'shop', role, env },
  addresses: [addressForTest(ip)],
  discovered: false,
}));

const original = `
version: 1
services:
  web: [tcp/80, tcp/81]
networks:
  partner: {cidrs: [198.18.64.0/20], except: [198.18.70.0/24]}
tiers:
  - name: guard
    rules:
      - {id: no-dev-db, action: deny, from: {env: dev}, to: {role: db}, services: any}
  - name: apps
    rules:
      - {id: web-in, from: network:partner, to: {role: web}, services: [web]}
      - {id: app-db, from: {role: [web, api]}, to: {role: db}, services: [tcp/5432]}
      - {id: ping, from: any, to: {role: web}, services: [icmp/8]}
      - {id: web-db-admin, from: {role: web}, to: {role: db}, services: [tcp/5432-5433]}
`;

// The same meaning written differently: rule order, a tier of allows split in two,
// services as a range instead of a list, a label list as separate rules, a network as
// its prefixes.
const rewritten = `
version: 1
tiers:
  - name: guard-first
    rules:
      - {id: dev-db-block, action: deny, from: {env: [dev]}, to: {role: [db]}, services: any}
  - name: pings
    rules:
      - {id: icmp-echo, from: any, to: {role: web}, services: [icmp/8]}
  - name: the-rest
    rules:
      - {id: web-admin, from: {role: web}, to: {role: db}, services: [tcp/5433, tcp/5432]}
      - {id: api-to-db, from: {role: api}, to: {role: db}, services: [tcp/5432]}
      - {id: partner-a, from: [198.18.64.0/22, 198.18.68.0/23], to: {role: web}, services: [tcp/80-81]}
      - {id: partner-b, from: [198.18.71.0/24, 198.18.72.0/21], to: {role: web}, services: [tcp/80-81]}
`;

function without(policy: Policy, id: string): Policy {
  return {
    ...policy,
    tiers: policy.tiers.map((tier) => ({
      ...tier,
      rules: tier.rules.filter((rule) => rule.id !== id),
    })),
  };
}

describe('diffPolicies()', () => {
  const policy = loadPolicyForTest(original);

  it.each([
    { name: 'by workload', by: 'workload' as const },
    { name: 'by labels', by: ['role', 'env'] },
    { name: 'by one label', by: ['app'] },
  ])('diffPolicies() finds no difference with a reordered, reformatted copy ($name)', ({ by }) => {
    const diff = diffPolicies(policy, loadPolicyForTest(rewritten), workloads, { by });
    expect(diff).toEqual({ added: [], removed: [] });
  });

  it('diffPolicies() lists exactly the connections of a removed rule', () => {
    const diff = diffPolicies(policy, without(policy, 'ping'), workloads, { by: 'workload' });

    expect(diff.added).toEqual([]);
    expect(diff.removed.every((c) => c.rules.length === 1 && c.rules[0] === 'ping')).toBe(true);
    expect(diff.removed.every((c) => c.service === 'icmp/8')).toBe(true);
    expect(new Set(diff.removed.map((c) => c.to))).toEqual(new Set(['web-1', 'web-2']));
    expect(diff.removed.map((c) => c.from)).toContain('db-1');
    expect(diff.removed.map((c) => c.from)).toContain('network:partner');
    expect(diff.removed.map((c) => c.from)).toContain('other-addresses');
  });

  it('diffPolicies() leaves out what another rule still allows', () => {
    const diff = diffPolicies(policy, without(policy, 'app-db'), workloads, { by: 'workload' });

    // web → db stays allowed by web-db-admin; dev is denied by the guard tier either way.
    expect(diff).toEqual({
      added: [],
      removed: [{ from: 'api-1', to: 'db-1', service: 'tcp/5432', rules: ['app-db'] }],
    });
  });

  it('diffPolicies() merges ports into ranges and names the rules of the new revision', () => {
    const next = loadPolicyForTest(
      original.replace('services: [tcp/5432-5433]}', 'services: [tcp/5432-5440]}'),
    );
    const diff = diffPolicies(policy, next, workloads, { by: ['role'] });

    expect(diff).toEqual({
      added: [
        { from: 'role=web', to: 'role=db', service: 'tcp/5434-5440', rules: ['web-db-admin'] },
      ],
      removed: [],
    });
  });

  it('diffPolicies() evaluates expiry at the given instant', () => {
    const next = loadPolicyForTest(
      original.replace('services: [icmp/8]}', 'services: [icmp/8], expires: 2027-01-31}'),
    );
    const later = Date.parse('2027-03-01T00:00:00Z');

    expect(diffPolicies(policy, next, workloads, { by: ['role'] }).removed).toEqual([]);
    const removed = diffPolicies(policy, next, workloads, { by: ['role'], at: later }).removed;
    expect(removed.map((c) => c.from)).toEqual([
      'network:partner',
      'other-addresses',
      'role=api',
      'role=db',
      'role=web',
    ]);
    expect(removed.every((c) => c.to === 'role=web' && c.rules.join() === 'ping')).toBe(true);
  });
});
