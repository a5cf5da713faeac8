import type { AwsSecurityGroups } from '../aws/render.js';
import type { IptablesRuleset } from '../iptables/render.js';
import { IPSET_DEFAULT_MAXELEM } from '../iptables/render.js';
import type { GroupPlan, GroupRule } from '../k8s/groups.js';
import type { WindowsRuleset } from '../windows/render.js';

/** The limits each target declares; every one can be raised where the target allows it. */
export interface CapacityLimits {
  /** ipset `maxelem` of each set (ipset's default 65536). */
  readonly ipsetMaxelem: number;
  /** Rules per host beyond which Windows Firewall rule evaluation and management degrade. */
  readonly windowsRules: number;
  /** AWS: inbound rules per security group (VPC quota, default 60). */
  readonly awsInboundRules: number;
  /** AWS: outbound rules per security group (VPC quota, default 60). */
  readonly awsOutboundRules: number;
  /** AWS: security groups per network interface (VPC quota, default 5). */
  readonly awsGroupsPerInterface: number;
  /** Cilium: policy map entries per endpoint (`bpf-policy-map-max`, default 16384). */
  readonly ciliumPolicyMapEntries: number;
}

export const DEFAULT_LIMITS: CapacityLimits = {
  ipsetMaxelem: IPSET_DEFAULT_MAXELEM,
  windowsRules: 1000,
  awsInboundRules: 60,
  awsOutboundRules: 60,
  awsGroupsPerInterface: 5,
  ciliumPolicyMapEntries: 16384,
};

/** A limit reached (`error`: refuse to emit) or nearly reached (`warning`, at 80 %). */
export interface CapacityFinding {
  readonly severity: 'error' | 'warning';
  readonly limit: keyof CapacityLimits;
  readonly max: number;
  readonly value: number;
  /** The policy rule that fills the limit most, or null when no single rule does. */
  readonly rule: string | null;
  /** What is full: a set, a security group, a workload. */
  readonly subject: string;
  readonly message: string;
}

/** What each target's check reads. */
export interface CapacityInputs {
  readonly iptables: IptablesRuleset;
  readonly windows: WindowsRuleset;
  readonly aws: AwsSecurityGroups;
  readonly cilium: GroupPlan;
}

const WARN_AT = 0.8;

/**
 * Checks a target's output against the target's limits before it is emitted. Callers
 * refuse to write the output when a finding is an `error`, and show `warning`s.
 *
 * @param target The target whose output this is.
 * @param output The renderer's output (for Cilium, the group plan it renders).
 * @param limits Limits raised above the targets' defaults.
 * @returns Findings naming the limit, the value, the subject and the rule; [] when it fits.
 */
export function checkCapacity<T extends keyof CapacityInputs>(
  target: T,
  output: CapacityInputs[T],
  limits: Partial<CapacityLimits> = {},
): CapacityFinding[] {
  const all = { ...DEFAULT_LIMITS, ...limits };
  switch (target) {
    case 'iptables':
      return checkIptables(output as IptablesRuleset, all);
    case 'windows':
      return checkWindows(output as WindowsRuleset, all);
    case 'aws':
      return checkAws(output as AwsSecurityGroups, all);
    case 'cilium':
      return checkCilium(output as GroupPlan, all);
    default:
      return [];
  }
}

function finding(
  limit: keyof CapacityLimits,
  max: number,
  value: number,
  subject: string,
  rule: string | null,
  what: string,
): CapacityFinding[] {
  if (value <= max * WARN_AT) return [];
  const severity = value > max ? 'error' : 'warning';
  const head = severity === 'error' ? 'Cannot emit' : 'Close to the limit in';
  const because = rule === null ? '' : ` (most from rule "${rule}")`;
  const message = `${head} ${subject}: ${what} ${value} of ${max} allowed by ${limit}${because}${severity === 'error' ? `; raise ${limit} if the target allows it, or narrow the rule` : ''}`;
  return [{ severity, limit, max, value, rule, subject, message }];
}

function checkIptables(ruleset: IptablesRuleset, limits: CapacityLimits): CapacityFinding[] {
  const max = Math.min(limits.ipsetMaxelem, ruleset.maxelem);
  return ruleset.sets.flatMap((set) =>
    finding(
      'ipsetMaxelem',
      max,
      set.elements.length,
      `ipset "${set.name}" of workload "${ruleset.workload}"`,
      set.rule,
      'elements',
    ),
  );
}

function checkWindows(ruleset: WindowsRuleset, limits: CapacityLimits): CapacityFinding[] {
  const counts = new Map<string, number>();
  for (const rule of ruleset.rules) counts.set(rule.rule, (counts.get(rule.rule) ?? 0) + 1);
  return finding(
    'windowsRules',
    limits.windowsRules,
    ruleset.rules.length,
    `Windows Firewall rules of workload "${ruleset.workload}"`,
    largest(counts),
    'rules',
  );
}

function checkAws(document: AwsSecurityGroups, limits: CapacityLimits): CapacityFinding[] {
  const out: CapacityFinding[] = [];
  for (const group of document.securityGroups) {
    for (const [direction, permissions, limit] of [
      ['inbound', group.ingress, 'awsInboundRules'],
      ['outbound', group.egress, 'awsOutboundRules'],
    ] as const) {
      // AWS counts every CIDR and every referenced group of a permission as one rule.
      const counts = new Map<string, number>();
      for (const permission of permissions) {
        const size =
          (permission.IpRanges?.length ?? 0) +
          (permission.Ipv6Ranges?.length ?? 0) +
          (permission.UserIdGroupPairs?.length ?? 0);
        counts.set(permission.RuleId, (counts.get(permission.RuleId) ?? 0) + size);
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      out.push(
        ...finding(
          limit,
          limits[limit],
          total,
          `security group "${group.groupName}"`,
          largest(counts),
          `${direction} rules`,
        ),
      );
    }
  }
  for (const entry of document.interfaces) {
    out.push(
      ...finding(
        'awsGroupsPerInterface',
        limits.awsGroupsPerInterface,
        entry.groups.length,
        `the network interface of workload "${entry.workload}"`,
        null,
        'security groups',
      ),
    );
  }
  return out;
}

/**
 * Estimates each endpoint's policy map entries: for every rule that applies to it, one
 * entry per peer identity (a distinct label set among the selected workloads, one per
 * CIDR prefix, one for `any`) and port range.
 */
function checkCilium(plan: GroupPlan, limits: CapacityLimits): CapacityFinding[] {
  const out: CapacityFinding[] = [];
  const byName = new Map(plan.workloads.map((workload) => [workload.name, workload]));
  const identities = (names: readonly string[]): number =>
    new Set(
      names.map((name) => JSON.stringify(Object.entries(byName.get(name)?.labels ?? {}).sort())),
    ).size;
  const entries = (rule: GroupRule, peers: GroupRule['from'], names: readonly string[]): number => {
    let peerCount = 0;
    for (const peer of peers) {
      if (peer.kind === 'any') peerCount += 1;
      else if (peer.kind === 'addresses')
        peerCount += peer.prefixes.v4.length + peer.prefixes.v6.length;
    }
    if (peers.some((peer) => peer.kind === 'labels')) peerCount += Math.max(identities(names), 1);
    const ports = rule.services.reduce(
      (sum, service) => sum + (service.kind === 'ports' ? service.ports.length : 1),
      0,
    );
    return peerCount * ports;
  };
  for (const workload of plan.workloads) {
    const counts = new Map<string, number>();
    for (const tier of plan.tiers) {
      for (const rule of tier.rules) {
        let n = 0;
        if (rule.toWorkloads.includes(workload.name))
          n += entries(rule, rule.from, rule.fromWorkloads);
        if (rule.fromWorkloads.includes(workload.name))
          n += entries(rule, rule.to, rule.toWorkloads);
        if (n > 0) counts.set(rule.id, (counts.get(rule.id) ?? 0) + n);
      }
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    out.push(
      ...finding(
        'ciliumPolicyMapEntries',
        limits.ciliumPolicyMapEntries,
        total,
        `the Cilium endpoint of workload "${workload.name}"`,
        largest(counts),
        'estimated policy map entries',
      ),
    );
  }
  return out;
}

function largest(counts: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let most = 0;
  for (const [rule, count] of counts) {
    if (count > most) {
      best = rule;
      most = count;
    }
  }
  return best;
}
