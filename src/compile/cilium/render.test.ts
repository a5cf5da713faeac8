// Golden tests of the Cilium renderer. The output relies on these documented semantics
// (Cilium docs, "Layer 3 Examples", "Layer 4 Examples" and "Deny Policies" under
// Network Policy, https://docs.cilium.io/en/stable/security/policy/, and the
// CiliumNetworkPolicy reference):
//
// - An endpoint selected by any policy in a direction is in default deny there; allow
//   rules (`ingress`, `egress`) add up; `ingress: [{}]` enables default deny without
//   allowing anything.
// - `ingressDeny`/`egressDeny` take precedence over allow rules regardless of order;
//   there are no tiers and no pass.
// - In a CiliumNetworkPolicy, `endpointSelector` and `fromEndpoints`/`toEndpoints`
//   select the policy's own namespace unless the selector names
//   `k8s:io.kubernetes.pod.namespace`.
// - Peers: `fromEntities: [all]`, `fromEndpoints`, `fromCIDRSet` with `cidr` and `except`
//   (and the `to…` forms). `toPorts.ports` entries have `port`, optional `endPort` and
//   `protocol` TCP, UDP or SCTP, port "0" meaning every port; `icmps.fields` have `type`
//   and `family` (no code). Policy is stateful: replies are allowed.
// - The policy map of an endpoint holds 16384 entries by default (`bpf-policy-map-max`).
import { describe, expect, it } from 'vitest';

import {
  GOLDEN_AT,
  GOLDEN_SCENARIOS,
  expectGolden,
  goldenScenario,
} from '../iptables/golden-for-test.js';
import { goldenText } from '../k8s/golden-for-test.js';
import { buildGroupPlan } from '../k8s/groups.js';
import { renderCilium } from './render.js';

function render(name: string) {
  const scenario = goldenScenario(name);
  return renderCilium(buildGroupPlan(scenario.policy, scenario.workloads, { at: GOLDEN_AT }));
}

describe('renderCilium() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    expectGolden(name, 'cluster.cilium.yaml', goldenText(render(name)));
  });
});

describe('renderCilium() output', () => {
  it('renders denies as ingressDeny and egressDeny', () => {
    const { text } = render('test-mode');
    expect(text).toContain('ingressDeny:');
    expect(text).toContain('egressDeny:');
  });

  it('warns, naming the rules, where a pass would exempt flows from a deny', () => {
    const { warnings } = render('labels-tiers');
    expect(warnings.map((note) => note.rule)).toEqual(
      expect.arrayContaining(['monitoring-exempt', 'no-dev-to-prod']),
    );
    expect(warnings.find((note) => note.rule === 'no-dev-to-prod')?.message).toContain(
      'rule "monitoring-exempt" passes first',
    );
  });

  it('selects peers in every namespace', () => {
    const { text } = render('labels-tiers');
    expect(text).toContain('key: k8s:io.kubernetes.pod.namespace\n');
    expect(text).toContain('operator: Exists');
  });
});
