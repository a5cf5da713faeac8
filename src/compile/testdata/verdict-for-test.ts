// Two independent deciders for consistency tests:
// - evaluateOracleForTest: the policy semantics of DESIGN.md straight from the Policy, a
//   local stand-in for src/policy evaluate() until that lands on wt-policy.
// - decideAtPointForTest: the same question answered from one enforcement point of a
//   compiled plan, walking its tiers the way the nftables chains do.
import { isIcmp } from '../../domain/index.js';
import type { Address, Decision, FlowQuestion, Policy, Rule, ServiceEntry } from '../../domain/index.js';
import { selectsEndpoint } from '../../policy/index.js';
import { addressSetContains } from '../interval.js';
import type { Direction, EnforcementPoint, PlanRule } from '../plan.js';
import type { PlanService } from '../service.js';

function entryMatches(entry: ServiceEntry, question: FlowQuestion): boolean {
  if (entry.protocol === 'any') return true;
  if (entry.protocol !== question.protocol) return false;
  if (isIcmp(entry.protocol)) {
    if (entry.icmpType === undefined) return true;
    if (entry.icmpType !== question.port) return false;
    return entry.icmpCode === undefined || entry.icmpCode === question.icmpCode;
  }
  if (entry.ports === undefined) return true;
  return entry.ports.some((range) => range.first <= question.port && question.port <= range.last);
}

function ruleMatches(policy: Policy, rule: Rule, question: FlowQuestion): boolean {
  if (!selectsEndpoint(policy, rule.from, question.from)) return false;
  if (!selectsEndpoint(policy, rule.to, question.to)) return false;
  return rule.services === 'any' || rule.services.some((entry) => entryMatches(entry, question));
}

function decideTier<T extends { action: string; id: string }>(
  rules: readonly T[],
  matches: (rule: T) => boolean,
): T | undefined {
  const matching = rules.filter(matches);
  return (
    matching.find((rule) => rule.action === 'pass') ??
    matching.find((rule) => rule.action === 'deny') ??
    matching.find((rule) => rule.action === 'allow')
  );
}

export function evaluateOracleForTest(
  policy: Policy,
  question: FlowQuestion,
  at?: number,
): Decision {
  for (const tier of policy.tiers) {
    const live = tier.rules.filter(
      (rule) => at === undefined || rule.expires === undefined || at <= rule.expires,
    );
    const rule = decideTier(live, (candidate) => ruleMatches(policy, candidate, question));
    if (rule === undefined || rule.action === 'pass') continue;
    return { verdict: rule.action, rule: rule.id, tier: tier.name };
  }
  return { verdict: 'deny', rule: null, tier: null };
}

function serviceMatches(service: PlanService, question: FlowQuestion): boolean {
  switch (service.kind) {
    case 'any':
      return true;
    case 'protocol':
      return service.protocol === question.protocol;
    case 'ports':
      return (
        service.protocol === question.protocol &&
        service.ports.some((range) => range.first <= question.port && question.port <= range.last)
      );
    case 'icmp':
      return (
        service.protocol === question.protocol &&
        service.type === question.port &&
        (service.code === undefined || service.code === question.icmpCode)
      );
  }
}

export function decideAtPointForTest(
  point: EnforcementPoint,
  direction: Direction,
  peer: Address,
  question: FlowQuestion,
): Decision {
  const tiers = direction === 'ingress' ? point.ingress : point.egress;
  const matches = (rule: PlanRule): boolean =>
    addressSetContains(rule.peers, peer) &&
    rule.services.some((service) => serviceMatches(service, question));
  for (const tier of tiers) {
    const rule = decideTier(tier.rules, matches);
    if (rule === undefined || rule.action === 'pass') continue;
    return { verdict: rule.action, rule: rule.id, tier: tier.name };
  }
  return { verdict: 'deny', rule: null, tier: null };
}
