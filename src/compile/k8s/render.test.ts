// Golden tests of the Kubernetes renderer. The output relies on these documented semantics:
//
// - NetworkPolicy (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
//   policies are additive allow lists; a pod selected by a policy for a direction is
//   isolated in that direction and only what some policy allows reaches it; `ipBlock`
//   takes `cidr` and `except`; `port` with `endPort` is a range; protocols TCP, UDP, SCTP;
//   a rule without `from`/`to` matches every peer, without `ports` every port; connections
//   are stateful (replies are allowed). An empty `namespaceSelector` selects every
//   namespace; namespaces carry the label `kubernetes.io/metadata.name`.
// - AdminNetworkPolicy and BaselineAdminNetworkPolicy (https://network-policy-api.sigs.k8s.io/,
//   "API overview", v1alpha1; KEP-2091): cluster-scoped; ANPs are evaluated before
//   NetworkPolicy, lower `priority` first (0–1000), rules inside one ANP in order, the
//   first matching rule decides; `Allow` and `Deny` are final, `Pass` skips every
//   remaining ANP and hands the flow to NetworkPolicy; if no NetworkPolicy selects the
//   pod, the BaselineAdminNetworkPolicy (singleton named `default`) decides, and after it
//   the flow is allowed. Ingress peers are `namespaces` or `pods`; egress peers add
//   `networks` (at most 25 CIDRs, no `except`). Ports are `portNumber` or `portRange`.
import { describe, expect, it } from 'vitest';

import {
  GOLDEN_AT,
  GOLDEN_SCENARIOS,
  expectGolden,
  goldenScenario,
} from '../iptables/golden-for-test.js';
import { goldenText } from './golden-for-test.js';
import { buildGroupPlan } from './groups.js';
import { renderKubernetes } from './render.js';

function render(name: string) {
  const scenario = goldenScenario(name);
  return renderKubernetes(buildGroupPlan(scenario.policy, scenario.workloads, { at: GOLDEN_AT }));
}

describe('renderKubernetes() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    expectGolden(name, 'cluster.k8s.yaml', goldenText(render(name)));
  });
});

describe('renderKubernetes() output', () => {
  it('puts tiers with deny or pass in AdminNetworkPolicies and later allows in NetworkPolicies', () => {
    const { text, warnings } = render('labels-tiers');
    expect(text).toContain('kind: AdminNetworkPolicy');
    expect(text).toContain('action: Pass');
    expect(text).toMatch(/kind: NetworkPolicy\nmetadata:\n {2}name: bulkhead-api-to-db-ingress/);
    expect(text).toContain('kind: BaselineAdminNetworkPolicy');
    expect(warnings.map((note) => note.rule)).toEqual(['no-db-admin']);
  });

  it('keeps except in ipBlock', () => {
    const { text } = render('cidr-except');
    expect(text).toContain('cidr: 0.0.0.0/0\n            except:\n              - 10.0.0.0/8\n');
    expect(text).toContain('- 198.18.0.0/15');
  });

  it('warns, naming the rule, about ICMP it cannot express', () => {
    const { warnings } = render('icmp');
    expect(warnings.map((note) => note.rule)).toContain('ping');
    expect(warnings[0]?.message).toMatch(/^Rule "[a-z-]+" names ICMP/);
  });

  it('maps a namespace label to a namespace selector', () => {
    const scenario = goldenScenario('labels-tiers');
    const workloads = scenario.workloads.map((workload) => ({
      ...workload,
      labels: { ...workload.labels, namespace: 'shop' },
    }));
    const { text } = renderKubernetes(
      buildGroupPlan(scenario.policy, workloads, { at: GOLDEN_AT }),
    );
    expect(text).toContain('namespace: shop');
    expect(text).not.toContain('namespace: default');
  });
});
