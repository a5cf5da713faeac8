import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { Workload } from '../domain/index.js';

import { addressForTest, loadPolicyForTest } from './load-for-test.js';
import { modeOf } from './mode.js';
import { runPolicyTests } from './policy-tests.js';

const design = loadPolicyForTest(
  readFileSync(new URL('./testdata/design-example.yaml', import.meta.url), 'utf8'),
);

const workload = (
  name: string,
  labels: Record<string, string>,
  addresses: string[] = [],
): Workload => ({
  name,
  labels,
  addresses: addresses.map(addressForTest),
  discovered: false,
});

const inventory = [
  workload('web-1', { app: 'payments', role: 'web', env: 'prod' }, ['198.18.0.10']),
  workload('db-1', { app: 'payments', role: 'db', env: 'prod' }, ['198.18.0.20', '2001:db8::20']),
  workload('mon-1', { app: 'monitoring', env: 'prod' }, ['198.18.0.30']),
  workload('dev-1', { env: 'dev' }),
];

describe('modeOf()', () => {
  it.each([
    { name: 'the strictest selecting scope wins', workload: inventory[0]!, want: 'enforce' },
    { name: 'a workload only any selects observes', workload: inventory[3]!, want: 'observe' },
  ])('modeOf() $name', ({ workload: subject, want }) => {
    expect(modeOf(design, subject)).toBe(want);
  });

  it('modeOf() enforces a workload no scope selects', () => {
    const policy = loadPolicyForTest('version: 1\nmodes:\n  - {scope: {env: dev}, mode: test}\n');
    expect(modeOf(policy, inventory[0]!)).toBe('enforce');
    expect(modeOf(policy, inventory[3]!)).toBe('test');
  });
});

describe('runPolicyTests()', () => {
  it('runPolicyTests() passes the tests of the DESIGN.md example against an inventory', () => {
    const results = runPolicyTests(design, inventory);
    expect(results.map((result) => [result.passed, result.message])).toEqual([
      [true, 'Policy test 1 at test.yaml:63:5 passed: 2 flows get deny on postgres'],
      [true, 'Policy test 2 at test.yaml:67:5 passed: 2 flows get allow on tcp/9100'],
    ]);
  });

  it('runPolicyTests() uses hypothetical endpoints when a side selects no workload', () => {
    const results = runPolicyTests(design, []);
    expect(results.map((result) => result.passed)).toEqual([true, false]);
    expect(results[1]?.message).toBe(
      'Policy test 2 at test.yaml:67:5 failed: "workload:mon-1" → "{app=payments,role=db}" on tcp/9100 is denied by default, expected allow (1 of 1 flows differ)',
    );
  });

  it('runPolicyTests() probes every port boundary of a range and names the deciding rule', () => {
    const policy = loadPolicyForTest(`
version: 1
networks:
  partner: {cidrs: [198.18.64.0/20], except: [198.18.64.0/24]}
rules:
  - {id: open, from: network:partner, to: any, services: [tcp/1000-2000]}
  - {id: hole, action: deny, from: any, to: any, services: [tcp/1500]}
tests:
  - {from: network:partner, to: any, service: tcp/1000-2000, expect: allow}
  - {from: network:partner, to: any, service: tcp/1501-2000, expect: allow}
`);
    const [whole, upper] = runPolicyTests(policy, []);

    expect(whole?.failures).toEqual([
      {
        from: 'network:partner (198.18.65.0)',
        to: 'any',
        service: 'tcp/1500',
        decision: { verdict: 'deny', rule: 'hole', tier: 'default' },
      },
    ]);
    expect(whole?.flows).toBe(3);
    expect(upper?.passed).toBe(true);
  });

  it('runPolicyTests() checks every address of a selected workload and ICMP codes', () => {
    const policy = loadPolicyForTest(`
version: 1
rules:
  - {id: v4-only, from: 198.18.0.0/15, to: {role: db}, services: [icmp/3]}
  - {id: no-frag, action: deny, from: any, to: any, services: [icmp/3/4]}
tests:
  - {from: {app: payments}, to: {role: db}, service: icmp/3, expect: allow}
`);
    const [result] = runPolicyTests(policy, inventory);

    expect(result?.passed).toBe(false);
    expect(
      result?.failures.map((failure) => [
        failure.from,
        failure.to,
        failure.service,
        failure.decision.rule,
      ]),
    ).toEqual([
      ['web-1', 'db-1 (198.18.0.20)', 'icmp/3/4', 'no-frag'],
      ['web-1', 'db-1 (2001:db8::20)', 'icmp/3/4', 'no-frag'],
      ['db-1 (198.18.0.20)', 'db-1 (198.18.0.20)', 'icmp/3/4', 'no-frag'],
      ['db-1 (198.18.0.20)', 'db-1 (2001:db8::20)', 'icmp/3/4', 'no-frag'],
      ['db-1 (2001:db8::20)', 'db-1 (198.18.0.20)', 'icmp/3/4', 'no-frag'],
      ['db-1 (2001:db8::20)', 'db-1 (198.18.0.20)', 'icmp/3/0', null],
      ['db-1 (2001:db8::20)', 'db-1 (2001:db8::20)', 'icmp/3/4', 'no-frag'],
      ['db-1 (2001:db8::20)', 'db-1 (2001:db8::20)', 'icmp/3/0', null],
    ]);
  });
});
