import { describe, expect, it } from 'vitest';

import { parseAddress } from '../domain/index.js';
import type { FlowQuestion, Workload } from '../domain/index.js';
import { evaluate, workloadEndpoint } from '../policy/index.js';
import { buildEnforcementPlan } from './build-plan.js';
import {
  policyForTest,
  ruleForTest as rule,
  selectorForTest as sel,
  servicesForTest as svc,
} from './testdata/policy-for-test.js';
import { loadScenarioForTest, scenarioNamesForTest } from './testdata/scenario-for-test.js';
import { decideAtPointForTest } from './testdata/verdict-for-test.js';

const AT = Date.UTC(2026, 0, 1);

const workload = (name: string, address: string, labels: Record<string, string>): Workload => ({
  name,
  addresses: [parseAddress(address)],
  labels,
  discovered: false,
});

/** Services every scenario's rules mention, plus one none does. */
const PROBES: readonly Pick<FlowQuestion, 'protocol' | 'port' | 'icmpCode'>[] = [
  { protocol: 6, port: 22 },
  { protocol: 6, port: 53 },
  { protocol: 6, port: 80 },
  { protocol: 6, port: 443 },
  { protocol: 6, port: 5432 },
  { protocol: 6, port: 8080 },
  { protocol: 6, port: 9100 },
  { protocol: 6, port: 50000 },
  { protocol: 17, port: 53 },
  { protocol: 17, port: 443 },
  { protocol: 132, port: 9 },
  { protocol: 47, port: 0 },
  { protocol: 1, port: 8, icmpCode: 0 },
  { protocol: 1, port: 3, icmpCode: 4 },
  { protocol: 1, port: 5, icmpCode: 1 },
  { protocol: 58, port: 128, icmpCode: 0 },
  { protocol: 58, port: 137, icmpCode: 0 },
  { protocol: 6, port: 31337 },
];

describe('buildEnforcementPlan() consistency', () => {
  it.each(scenarioNamesForTest())(
    'scenario %s: source egress, destination ingress and evaluate() agree on every flow',
    (name) => {
      const { policy, workloads } = loadScenarioForTest(name);
      const plan = buildEnforcementPlan(policy, workloads, { at: AT });
      const pointOf = (w: Workload) => plan.points.find((point) => point.workload === w.name)!;
      let checked = 0;

      for (const src of workloads) {
        for (const dst of workloads) {
          if (src === dst) continue;
          for (const srcAddress of src.addresses) {
            for (const dstAddress of dst.addresses) {
              if (srcAddress.includes(':') !== dstAddress.includes(':')) continue;
              for (const probe of PROBES) {
                const question: FlowQuestion = {
                  from: workloadEndpoint(src, srcAddress),
                  to: workloadEndpoint(dst, dstAddress),
                  ...probe,
                };
                const want = evaluate(policy, question, { at: AT });
                const egress = decideAtPointForTest(pointOf(src), 'egress', dstAddress, question);
                const ingress = decideAtPointForTest(pointOf(dst), 'ingress', srcAddress, question);
                const cell = `${src.name}→${dst.name} ${probe.protocol}/${probe.port}`;
                expect(egress, `${cell} egress`).toEqual(want);
                expect(ingress, `${cell} ingress`).toEqual(want);
                checked++;
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    },
  );

  it.each(scenarioNamesForTest())(
    'scenario %s: a workload and evaluate() agree on flows with addresses outside the inventory',
    (name) => {
      const { policy, workloads } = loadScenarioForTest(name);
      const plan = buildEnforcementPlan(policy, workloads, { at: AT });
      for (const point of plan.points) {
        const self = workloads.find((w) => w.name === point.workload)!;
        for (const address of point.addresses) {
          for (const outside of OUTSIDE.filter((o) => o.includes(':') === address.includes(':'))) {
            const peer = parseAddress(outside);
            for (const probe of PROBES) {
              const inbound = {
                from: { address: peer },
                to: workloadEndpoint(self, address),
                ...probe,
              };
              const outbound = {
                from: workloadEndpoint(self, address),
                to: { address: peer },
                ...probe,
              };
              expect(
                decideAtPointForTest(point, 'ingress', peer, inbound),
                `${outside}→${self.name}`,
              ).toEqual(evaluate(policy, inbound, { at: AT }));
              expect(
                decideAtPointForTest(point, 'egress', peer, outbound),
                `${self.name}→${outside}`,
              ).toEqual(evaluate(policy, outbound, { at: AT }));
            }
          }
        }
      }
    },
  );
});

/** Addresses of no workload: the internet, a partner and its exception, lab space. */
const OUTSIDE = [
  '8.8.8.8',
  '10.1.2.3',
  '203.0.113.7',
  '198.18.65.1',
  '198.18.70.5',
  '198.18.70.200',
  '198.18.100.9',
  '2001:db8:100::5',
  '2001:db8:100:ff::1',
  '2001:db8:200::1',
  '2001:db8:200::3',
  '2606:4700::1',
];

describe('buildEnforcementPlan()', () => {
  const policy = policyForTest({
    tiers: [
      {
        name: 'only',
        rules: [
          rule('b-allow', 'allow', sel('any'), sel({ role: 'db' }), svc('tcp/5432')),
          rule('a-deny', 'deny', sel({ env: 'dev' }), sel({ role: 'db' }), svc('any')),
          rule('c-pass', 'pass', sel({ role: 'ops' }), sel({ role: 'db' }), svc('tcp/22')),
          rule('expired', 'allow', sel('any'), sel('any'), svc('any'), Date.UTC(2025, 0, 1)),
          rule('nobody', 'allow', sel({ role: 'ghost' }), sel({ role: 'db' }), svc('tcp/1')),
        ],
      },
      {
        name: 'empty-for-db',
        rules: [rule('x', 'allow', sel('any'), sel({ role: 'web' }), svc('tcp/80'))],
      },
    ],
  });
  const db = workload('db-1', '198.18.0.30', { role: 'db' });
  const dev = workload('dev-1', '198.18.0.40', { env: 'dev' });

  it('orders a tier pass, deny, allow (policy order inside each) and leaves out expired rules', () => {
    const plan = buildEnforcementPlan(policy, [db, dev], { at: AT });
    const point = plan.points.find((p) => p.workload === 'db-1')!;
    expect(point.ingress.map((tier) => tier.name)).toEqual(['only']);
    expect(point.ingress[0]!.rules.map((r) => r.id)).toEqual([
      'c-pass',
      'a-deny',
      'b-allow',
      'nobody',
    ]);
  });

  it('keeps expired rules when no instant is given, and up to their expiry instant', () => {
    const expiry = Date.UTC(2025, 0, 1);
    for (const options of [{}, { at: expiry }]) {
      const point = buildEnforcementPlan(policy, [db], options).points[0]!;
      expect(point.ingress[0]!.rules.map((r) => r.id)).toContain('expired');
    }
  });

  it('gives a rule that selects no peer an empty address set', () => {
    const point = buildEnforcementPlan(policy, [db, dev], { at: AT }).points[0]!;
    const nobody = point.ingress[0]!.rules.find((r) => r.id === 'nobody')!;
    expect(nobody.peers).toEqual({ v4: [], v6: [] });
  });

  it('sorts points by name and each point s addresses', () => {
    const multi: Workload = {
      ...workload('a-1', '198.18.0.9', {}),
      addresses: [parseAddress('198.18.0.9'), parseAddress('198.18.0.10')],
    };
    const plan = buildEnforcementPlan(policy, [dev, db, multi]);
    expect(plan.points.map((p) => p.workload)).toEqual(['a-1', 'db-1', 'dev-1']);
    expect(plan.points[0]!.addresses).toEqual(['198.18.0.10', '198.18.0.9']);
  });
});
