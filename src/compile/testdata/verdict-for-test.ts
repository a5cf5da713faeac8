// Answers a flow question from one enforcement point of a compiled plan, walking its
// tiers the way the nftables chains do, so tests can hold it against evaluate().
import type { Address, Decision, FlowQuestion } from '../../domain/index.js';
import { addressSetContains } from '../interval.js';
import type { Direction, EnforcementPoint, PlanRule } from '../plan.js';
import type { PlanService } from '../service.js';

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
