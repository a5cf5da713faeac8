import type { Decision, FlowQuestion, Place, Policy, RuleAction } from '../domain/index.js';

import { decideTier, finalize, ruleMismatches } from './evaluate.js';
import type { EvaluateOptions, RuleMismatch } from './evaluate.js';

/** One rule as evaluation saw it. */
export interface RuleTrace {
  readonly id: string;
  readonly action: RuleAction;
  readonly matched: boolean;
  /** Why it did not match: `expired`, or any of `from`, `to`, `service`. Empty when matched. */
  readonly mismatches: readonly RuleMismatch[];
  readonly place?: Place;
}

/**
 * One tier as evaluation saw it: `allow` or `deny` when it decided, `pass` when a pass
 * rule handed the flow on, `no-match` when none of its rules matched.
 */
export interface TierTrace {
  readonly name: string;
  readonly outcome: 'allow' | 'deny' | 'pass' | 'no-match';
  /** The rule behind the outcome (the deciding or the passing rule), or null. */
  readonly rule: string | null;
  readonly rules: readonly RuleTrace[];
}

/** Every tier evaluation considered, in order, and the decision. */
export interface Explanation {
  readonly tiers: readonly TierTrace[];
  readonly decision: Decision;
}

/**
 * Explains a decision: every tier considered (up to the one that decided), every rule in
 * it with whether it matched and why not, then the decision, which is always the one
 * `evaluate` gives.
 *
 * @param policy A validated policy.
 * @param question The flow to decide.
 * @param options `at` makes rules that expired before it stop matching.
 * @returns The trace and the decision.
 * @example
 * explain(policy, question).tiers.map((tier) => tier.outcome); // ['pass', 'allow']
 */
export function explain(
  policy: Policy,
  question: FlowQuestion,
  options: EvaluateOptions = {},
): Explanation {
  const tiers: TierTrace[] = [];
  for (const tier of policy.tiers) {
    const rules = tier.rules.map((rule) => {
      const mismatches = ruleMismatches(policy, rule, question, options);
      const trace = {
        id: rule.id,
        action: rule.action,
        matched: mismatches.length === 0,
        mismatches,
      };
      return rule.place === undefined ? trace : { ...trace, place: rule.place };
    });

    const matched = tier.rules.filter((_, index) => rules[index]?.matched === true);
    const outcome = decideTier(matched);
    if (outcome.kind === 'decided') {
      tiers.push({ name: tier.name, outcome: outcome.verdict, rule: outcome.rule.id, rules });
      return { tiers, decision: finalize(outcome, tier) };
    }

    const passedBy = outcome.passedBy?.id ?? null;
    tiers.push({
      name: tier.name,
      outcome: passedBy === null ? 'no-match' : 'pass',
      rule: passedBy,
      rules,
    });
  }
  return { tiers, decision: finalize({ kind: 'undecided' }, undefined) };
}
