import { hasPorts } from '../../domain/index.js';
import type { Policy, Rule, Selector } from '../../domain/index.js';
import { selectsAny } from '../select.js';

import type { LintFinding } from './finding.js';
import { ruleFinding } from './finding.js';

/**
 * Allows that open more than a segment should: any source to any destination, a side
 * that is a whole address family (`0.0.0.0/0`, `::/0`, or a network that is one without
 * exceptions), every port of a protocol. Denies are left alone: a broad deny is a
 * guardrail. An allow of everything between everything is an error.
 */
export function broadFindings(policy: Policy): LintFinding[] {
  const out: LintFinding[] = [];
  for (const rule of policy.tiers.flatMap((tier) => tier.rules)) {
    if (rule.action !== 'allow') continue;
    const anyToAny = selectsAny(policy, rule.from) && selectsAny(policy, rule.to);
    const reasons = [
      ...(anyToAny ? ['it allows any source to any destination'] : []),
      ...(['from', 'to'] as const).flatMap((side) =>
        wholeFamily(policy, rule[side]) ? [`its ${side} side is a whole address family (/0)`] : [],
      ),
      ...(allPorts(rule) ? ['it opens every port'] : []),
    ];
    if (reasons.length === 0) continue;

    const severity = anyToAny && rule.services === 'any' ? 'error' : 'warning';
    const message = `Cannot keep rule "${rule.id}" as narrow as a segment needs: ${reasons.join(', ')}; name the workloads, prefixes and ports it is for`;
    out.push(ruleFinding('overly_broad', rule, message, severity));
  }
  return out;
}

function wholeFamily(policy: Policy, selector: Selector): boolean {
  return selector.some((term) => {
    if (term.kind === 'cidr') return term.cidr.endsWith('/0');
    if (term.kind !== 'network') return false;
    const network = policy.networks.get(term.name);
    if (network === undefined || network.except.length > 0) return false;
    return network.cidrs.some((cidr) => cidr.endsWith('/0'));
  });
}

function allPorts(rule: Rule): boolean {
  if (rule.services === 'any') return true;
  return rule.services.some((entry) => {
    if (entry.protocol === 'any') return true;
    if (!hasPorts(entry.protocol)) return false;
    return (
      entry.ports === undefined ||
      entry.ports.some((range) => range.first <= 1 && range.last >= 65535)
    );
  });
}
