import { describe, expect, it } from 'vitest';

import { parseAddress } from '../../domain/index.js';
import type { Workload } from '../../domain/index.js';
import { renderAws } from '../aws/render.js';
import { buildEnforcementPlan } from '../build-plan.js';
import { GOLDEN_AT, goldenScenario } from '../iptables/golden-for-test.js';
import { renderIptables } from '../iptables/render.js';
import { buildGroupPlan } from '../k8s/groups.js';
import {
  policyForTest,
  ruleForTest,
  selectorForTest,
  servicesForTest,
} from '../testdata/policy-for-test.js';
import { renderWindows } from '../windows/render.js';
import { checkCapacity } from './check.js';

/** A policy that lets `count` single addresses reach web on tcp/443. */
function manyPeers(count: number) {
  const cidrs = Array.from(
    { length: count },
    (_, i) => `198.18.${Math.floor(i / 100) + 10}.${(i % 100) * 2 + 1}/32`,
  );
  const policy = policyForTest({
    tiers: [
      {
        name: 'apps',
        rules: [
          ruleForTest(
            'many-clients',
            'allow',
            selectorForTest(...cidrs),
            selectorForTest({ role: 'web' }),
            servicesForTest('tcp/443'),
          ),
        ],
      },
    ],
  });
  const workloads: Workload[] = [
    {
      name: 'web-1',
      addresses: [parseAddress('198.18.1.1')],
      labels: { role: 'web' },
      discovered: false,
    },
  ];
  return { policy, workloads, plan: buildEnforcementPlan(policy, workloads) };
}

describe('checkCapacity()', () => {
  it('passes the golden scenarios', () => {
    const scenario = goldenScenario('labels-tiers');
    const groupPlan = buildGroupPlan(scenario.policy, scenario.workloads, { at: GOLDEN_AT });
    expect(checkCapacity('aws', renderAws(groupPlan))).toEqual([]);
    expect(checkCapacity('cilium', groupPlan)).toEqual([]);
    expect(checkCapacity('iptables', renderIptables(scenario.plan, 'db-1'))).toEqual([]);
    expect(checkCapacity('windows', renderWindows(scenario.plan, 'db-1'))).toEqual([]);
  });

  it('refuses more than 60 inbound rules in a security group, naming the limit and the rule', () => {
    const { policy, workloads } = manyPeers(61);
    const findings = checkCapacity('aws', renderAws(buildGroupPlan(policy, workloads)));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      limit: 'awsInboundRules',
      max: 60,
      value: 61,
      rule: 'many-clients',
    });
    expect(findings[0]?.message).toBe(
      'Cannot emit security group "bulkhead-role-web": inbound rules 61 of 60 allowed by awsInboundRules (most from rule "many-clients"); raise awsInboundRules if the target allows it, or narrow the rule',
    );
  });

  it('warns at 80 % of a limit', () => {
    const { policy, workloads } = manyPeers(50);
    const findings = checkCapacity('aws', renderAws(buildGroupPlan(policy, workloads)));
    expect(findings.map((finding) => finding.severity)).toEqual(['warning']);
  });

  it('refuses more than 5 security groups per network interface', () => {
    const labels = { a: 'x', b: 'x', c: 'x', d: 'x', e: 'x', f: 'x' };
    const rules = Object.keys(labels).map((key) =>
      ruleForTest(
        `to-${key}`,
        'allow',
        selectorForTest('any'),
        selectorForTest({ [key]: 'x' }),
        servicesForTest('tcp/443'),
      ),
    );
    const policy = policyForTest({ tiers: [{ name: 'apps', rules }] });
    const workloads: Workload[] = [
      { name: 'w', addresses: [parseAddress('198.18.1.1')], labels, discovered: false },
    ];
    const findings = checkCapacity('aws', renderAws(buildGroupPlan(policy, workloads)));
    expect(findings.find((finding) => finding.limit === 'awsGroupsPerInterface')).toMatchObject({
      severity: 'error',
      max: 5,
      value: 7,
    });
  });

  it('refuses an ipset fuller than maxelem, naming the set and the rule', () => {
    const { plan } = manyPeers(300);
    const findings = checkCapacity('iptables', renderIptables(plan, 'web-1', { maxelem: 256 }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      limit: 'ipsetMaxelem',
      max: 256,
      rule: 'many-clients',
    });
    expect(findings[0]?.message).toMatch(
      /^Cannot emit ipset "bh-i-many-clients-4p" of workload "web-1": elements \d+ of 256/,
    );
  });

  it('refuses more Windows Firewall rules than the practical limit', () => {
    const { plan } = manyPeers(3);
    const findings = checkCapacity('windows', renderWindows(plan, 'web-1'), { windowsRules: 0 });
    expect(findings[0]).toMatchObject({
      severity: 'error',
      limit: 'windowsRules',
      rule: 'many-clients',
    });
  });

  it('refuses a Cilium endpoint whose policy map would overflow', () => {
    const { policy, workloads } = manyPeers(200);
    const findings = checkCapacity('cilium', buildGroupPlan(policy, workloads), {
      ciliumPolicyMapEntries: 100,
    });
    expect(findings[0]).toMatchObject({
      severity: 'error',
      limit: 'ciliumPolicyMapEntries',
      value: 200,
      max: 100,
      rule: 'many-clients',
    });
    expect(findings[0]?.message).toContain('the Cilium endpoint of workload "web-1"');
  });
});
