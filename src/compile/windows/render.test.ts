// Golden tests of the Windows Firewall renderer. The output relies on these documented
// semantics (Microsoft Learn, "Windows Firewall rules" and "Configure rules with
// PowerShell", https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/rules
// and the NetSecurity module reference for New-NetFirewallRule, Get-NetFirewallRule,
// Remove-NetFirewallRule and Set-NetFirewallProfile):
//
// - Rules are not ordered; precedence is by type: an explicit block rule wins over an
//   allow rule, and traffic no rule matches gets the profile's default action
//   (`-DefaultInboundAction` / `-DefaultOutboundAction`).
// - The firewall is stateful: once a connection is allowed its return traffic is too.
// - `-Group` tags rules so they can be listed and removed together; `-Name` is the
//   unique rule id; `-RemoteAddress` takes addresses, subnets (CIDR) and ranges
//   (`a-b`); `-LocalPort`/`-RemotePort` take ports and ranges for TCP and UDP only;
//   `-IcmpType` takes `type` or `type:code` with `-Protocol ICMPv4`/`ICMPv6`.
import { describe, expect, it } from 'vitest';

import { CompileError } from '../errors.js';
import { GOLDEN_SCENARIOS, expectGolden, goldenScenario } from '../iptables/golden-for-test.js';
import { renderWindows } from './render.js';

describe('renderWindows() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    const scenario = goldenScenario(name);
    for (const workload of scenario.workloads) {
      expectGolden(
        name,
        `${workload.name}.ps1`,
        renderWindows(scenario.plan, workload.name).script,
      );
    }
  });
});

describe('renderWindows() output', () => {
  it('throws a CompileError for a workload the plan does not hold', () => {
    expect(() => renderWindows({ points: [] }, 'ghost')).toThrow(CompileError);
  });

  it('leaves out what an earlier deny decides and keeps what a pass exempts', () => {
    const { plan } = goldenScenario('labels-tiers');
    const rules = renderWindows(plan, 'db-1').rules;
    // scrape allows tcp/9100 from mon-1, which no-dev-to-prod would deny, but
    // monitoring-exempt passes it to the applications tier first.
    expect(rules.find((rule) => rule.rule === 'scrape')?.remoteAddresses).toEqual(['198.18.3.10']);
    // ssh to db is denied in guardrails, so nothing allows tcp/22 inbound.
    expect(rules.some((rule) => rule.direction === 'Inbound' && rule.ports === '22')).toBe(false);
  });

  it('blocks by default only in enforce mode', () => {
    const { plan } = goldenScenario('test-mode');
    expect(renderWindows(plan, 'db-1').script).toContain('-DefaultInboundAction Block');
    expect(renderWindows(plan, 'web-1').script).toContain('-DefaultInboundAction Allow');
  });
});
