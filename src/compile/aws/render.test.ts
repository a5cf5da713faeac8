// Golden tests of the AWS security group renderer. The output relies on these documented
// semantics (Amazon VPC User Guide, "Control traffic to your AWS resources using security
// groups" and "Security group rules", https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html,
// and the EC2 API reference for IpPermission):
//
// - Security group rules only allow; there are no deny rules and no order: the rules of
//   every group attached to a network interface are aggregated and a flow is allowed if
//   any rule allows it; anything else is denied.
// - Security groups are stateful: responses to allowed traffic are allowed.
// - A rule's source or destination is a CIDR (IPv4 or IPv6) or another security group
//   (the network interfaces that belong to it). A new group allows all outbound traffic
//   until that rule is removed.
// - IpProtocol `tcp`/`udp` take FromPort–ToPort; `icmp`/`icmpv6` use FromPort as the type
//   and ToPort as the code (-1 for any); `-1` means every protocol.
// - Quotas ("Amazon VPC quotas"): 60 inbound and 60 outbound rules per security group and
//   5 security groups per network interface by default; each CIDR or referenced group in
//   a permission counts as one rule.
import { describe, expect, it } from 'vitest';

import {
  GOLDEN_AT,
  GOLDEN_SCENARIOS,
  expectGolden,
  goldenScenario,
} from '../iptables/golden-for-test.js';
import { buildGroupPlan } from '../k8s/groups.js';
import { renderAws } from './render.js';

function render(name: string) {
  const scenario = goldenScenario(name);
  return renderAws(buildGroupPlan(scenario.policy, scenario.workloads, { at: GOLDEN_AT }));
}

describe('renderAws() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    expectGolden(name, 'aws.json', `${JSON.stringify(render(name), null, 2)}\n`);
  });
});

describe('renderAws() output', () => {
  it('reports a deny that an allow overlaps as an error naming both rules', () => {
    const { errors } = render('labels-tiers');
    expect(errors.map((note) => note.rule)).toEqual(['no-dev-to-prod']);
    expect(errors[0]?.message).toMatch(
      /^Cannot express deny rule "no-dev-to-prod" in security groups: .*allow rules "web-to-api", "scrape"/,
    );
  });

  it('references other groups by placeholder', () => {
    const { securityGroups } = render('labels-tiers');
    const db = securityGroups.find((group) => group.key === 'role-db');
    expect(db?.members).toEqual(['db-1']);
    expect(db?.ingress[0]?.UserIdGroupPairs?.[0]?.GroupId).toBe('${sg:role-api}');
  });
});
