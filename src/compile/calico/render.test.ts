// Golden tests of the Calico renderer. The output relies on these documented semantics
// (Calico "Tier" and "Global network policy" resource references,
// https://docs.tigera.io/calico/latest/reference/resources/tier and
// https://docs.tigera.io/calico/latest/reference/resources/globalnetworkpolicy, and
// "Get started with policy tiers"):
//
// - Tiers are evaluated by ascending `order`; inside a tier, policies by ascending
//   `order`; inside a policy, rules in sequence. The first rule whose action is Allow or
//   Deny decides; `Pass` skips the rest of the tier and goes to the next tier.
// - If policies of a tier select the endpoint but no rule matches, the flow is denied at
//   the end of the tier (so each tier here ends with a Pass-all policy).
// - A policy in a tier other than `default` is named `<tier>.<name>` and sets `tier:`.
// - `selector` picks the endpoints a policy applies to (`all()`, `k == 'v'`,
//   `k in {'a', 'b'}`, `!expr`, `&&`, `||`); `types` says which directions it covers.
// - Rule `source`/`destination` take `selector`, `nets` and `notNets` (ANDed); `ports`
//   entries are numbers or `"first:last"` strings and need `protocol` TCP, UDP or SCTP;
//   `icmp: {type, code}` with `protocol: ICMP` or `ICMPv6`. Connections are stateful.
import { describe, expect, it } from 'vitest';

import {
  GOLDEN_AT,
  GOLDEN_SCENARIOS,
  expectGolden,
  goldenScenario,
} from '../iptables/golden-for-test.js';
import { goldenText } from '../k8s/golden-for-test.js';
import { buildGroupPlan } from '../k8s/groups.js';
import { labelExpression, renderCalico } from './render.js';

function render(name: string) {
  const scenario = goldenScenario(name);
  return renderCalico(buildGroupPlan(scenario.policy, scenario.workloads, { at: GOLDEN_AT }));
}

describe('renderCalico() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    expectGolden(name, 'cluster.calico.yaml', goldenText(render(name)));
  });
});

describe('renderCalico() output', () => {
  it('gives each tier a Tier object and a Pass at its end, and ends with a deny tier', () => {
    const { text } = render('labels-tiers');
    expect(text).toContain(
      'kind: Tier\nmetadata:\n  name: bulkhead-guardrails\nspec:\n  order: 100\n',
    );
    expect(text).toContain('name: bulkhead-guardrails.end-of-tier');
    expect(text).toContain('name: bulkhead-default.default-deny');
    expect(text).toContain('action: Pass');
  });

  it.each([
    { name: 'one value', match: { app: ['web'] }, want: "app == 'web'" },
    { name: 'list of values', match: { role: ['db', 'api'] }, want: "role in {'api', 'db'}" },
    {
      name: 'with not',
      match: { env: ['prod'] },
      not: { role: ['db'] },
      want: "env == 'prod' && !(role == 'db')",
    },
  ])('labelExpression() $name', ({ match, not, want }) => {
    expect(labelExpression(match, not)).toBe(want);
  });
});
