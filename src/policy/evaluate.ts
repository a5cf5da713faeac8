import { assertNever } from '../domain/index.js';
import type { Decision, FlowQuestion, Policy, Rule, RuleAction, Tier } from '../domain/index.js';

import { selectsEndpoint } from './select.js';
import { servicesMatch } from './service-match.js';

/** Options of an evaluation. */
export interface EvaluateOptions {
  /**
   * The instant to evaluate at, in milliseconds since the epoch: rules whose `expires` is
   * earlier do not match. Absent: expiry is ignored (evaluation reads no clock).
   */
  readonly at?: number;
}

/** Why a rule did not match a question; `expired` is checked first. */
export type RuleMismatch = 'expired' | 'from' | 'to' | 'service';

/** What a tier did: decided, abstained through `pass`, or matched nothing. */
export type TierOutcome =
  | { readonly kind: 'undecided'; readonly passedBy?: Rule }
  | { readonly kind: 'decided'; readonly verdict: 'allow' | 'deny'; readonly rule: Rule };

/** The reasons a rule does not match a question, empty when it matches. */
export function ruleMismatches(
  policy: Policy,
  rule: Rule,
  question: FlowQuestion,
  options: EvaluateOptions = {},
): RuleMismatch[] {
  if (isExpired(rule, options)) return ['expired'];

  const out: RuleMismatch[] = [];
  if (!selectsEndpoint(policy, rule.from, question.from)) out.push('from');
  if (!selectsEndpoint(policy, rule.to, question.to)) out.push('to');
  if (!servicesMatch(rule.services, question)) out.push('service');
  return out;
}

/** Whether a rule matches a question (its sides select the endpoints, a service matches). */
export function ruleMatches(
  policy: Policy,
  rule: Rule,
  question: FlowQuestion,
  options: EvaluateOptions = {},
): boolean {
  if (isExpired(rule, options)) return false;
  if (!servicesMatch(rule.services, question)) return false;
  return (
    selectsEndpoint(policy, rule.from, question.from) &&
    selectsEndpoint(policy, rule.to, question.to)
  );
}

function isExpired(rule: Rule, options: EvaluateOptions): boolean {
  return options.at !== undefined && rule.expires !== undefined && rule.expires < options.at;
}

/**
 * What a tier does with the rules of it that match, given in file order. Order inside a
 * tier does not change the outcome: any `pass` wins, then any `deny`, then any `allow`;
 * the deciding rule is the first in file order with the winning action.
 */
export function decideTier(matched: readonly Rule[]): TierOutcome {
  const first = (action: RuleAction): Rule | undefined =>
    matched.find((rule) => rule.action === action);

  const pass = first('pass');
  if (pass !== undefined) return { kind: 'undecided', passedBy: pass };
  const deny = first('deny');
  if (deny !== undefined) return { kind: 'decided', verdict: 'deny', rule: deny };
  const allow = first('allow');
  if (allow !== undefined) return { kind: 'decided', verdict: 'allow', rule: allow };
  return { kind: 'undecided' };
}

/**
 * Turns the outcome of the tier walk into the public decision. This is the one place
 * the default applies: when no tier decided, the flow is denied with no rule and no tier.
 */
export function finalize(outcome: TierOutcome, tier: Tier | undefined): Decision {
  switch (outcome.kind) {
    case 'decided':
      return { verdict: outcome.verdict, rule: outcome.rule.id, tier: tier?.name ?? null };
    case 'undecided':
      return { verdict: 'deny', rule: null, tier: null }; // default deny: no tier decided
    default:
      return assertNever(outcome);
  }
}

/**
 * Decides whether a flow is allowed, and by which rule.
 *
 * Tiers apply in order; the first that allows or denies decides. Inside a tier a
 * matching `pass` hands the flow on, otherwise a matching `deny` beats a matching
 * `allow`. A flow no tier decides is denied by default (`rule` and `tier` are null).
 *
 * @param policy A validated policy.
 * @param question The two endpoints, the protocol and the port (ICMP: type and code).
 * @param options `at` makes rules that expired before it stop matching.
 * @returns The verdict with the deciding rule and tier.
 * @example
 * evaluate(policy, { from: { labels: { app: 'web' } }, to: { labels: { app: 'db' } }, protocol: 6, port: 5432 });
 */
export function evaluate(
  policy: Policy,
  question: FlowQuestion,
  options: EvaluateOptions = {},
): Decision {
  for (const tier of policy.tiers) {
    const matched = tier.rules.filter((rule) => ruleMatches(policy, rule, question, options));
    const outcome = decideTier(matched);
    if (outcome.kind === 'decided') return finalize(outcome, tier);
  }
  return finalize({ kind: 'undecided' }, undefined);
}
