import type { Decision } from '../../domain/index.js';

import type { CompiledRule } from './compiled-rule.js';

/** The default decision, shared so that tables can compare decisions by identity. */
export const DEFAULT_DENY: Decision = Object.freeze({ verdict: 'deny', rule: null, tier: null });

/**
 * The tier walk of `evaluate` over the matched rules: sorted into evaluation order, the
 * first tier without a matching `pass` and with a matching `deny` or `allow` decides, deny
 * first, each time by the earliest such rule in file order.
 */
export function decideMatched(
  rules: readonly CompiledRule[],
  matched: Int32Array,
  count: number,
): Decision {
  // Insertion sort: a decision matches a handful of rules.
  for (let index = 1; index < count; index++) {
    const value = matched[index]!;
    let slot = index - 1;
    while (slot >= 0 && matched[slot]! > value) {
      matched[slot + 1] = matched[slot]!;
      slot--;
    }
    matched[slot + 1] = value;
  }

  let index = 0;
  while (index < count) {
    const tier = rules[matched[index]!]!.tier;
    let passed = false;
    let deny: CompiledRule | undefined;
    let allow: CompiledRule | undefined;
    for (; index < count; index++) {
      const rule = rules[matched[index]!]!;
      if (rule.tier !== tier) break;
      if (rule.action === 'pass') passed = true;
      else if (rule.action === 'deny') deny ??= rule;
      else allow ??= rule;
    }
    if (passed) continue;
    const decided = deny ?? allow;
    if (decided?.decision != null) return decided.decision;
  }
  return DEFAULT_DENY;
}
