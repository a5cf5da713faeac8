import type { Endpoint } from '../../domain/index.js';

import { addressKey } from './address-key.js';
import { selectorHolds } from './compiled-selector.js';
import type { CompiledTerm } from './compiled-selector.js';

/** The side of a rule an endpoint is resolved against. */
export type RuleSide = 'from' | 'to';

/** A rule reduced to what endpoint resolution needs: its index and its two sides. */
export interface SelectableRule {
  readonly index: number;
  readonly from: readonly CompiledTerm[];
  readonly to: readonly CompiledTerm[];
}

/**
 * The rules of one side filed by what can select an endpoint, with no regard to services:
 * label terms under one value of their first key, workload terms by name, and every other
 * rule (addresses, `any`, `not:`-only) in a list checked in full. Used once per endpoint
 * when it is prepared, never per decision.
 */
export interface SelectionIndex {
  readonly side: RuleSide;
  readonly rules: readonly SelectableRule[];
  readonly byLabel: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  readonly byName: ReadonlyMap<string, readonly number[]>;
  readonly scanned: readonly number[];
}

/** Files every rule's `side` for endpoint resolution. */
export function createSelectionIndex(
  rules: readonly SelectableRule[],
  side: RuleSide,
): SelectionIndex {
  const byLabel = new Map<string, Map<string, number[]>>();
  const byName = new Map<string, number[]>();
  const scanned: number[] = [];
  const file = <K>(map: Map<K, number[]>, key: K, rule: number): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [rule]);
    else if (list[list.length - 1] !== rule) list.push(rule);
  };

  for (const rule of rules) {
    for (const term of rule[side]) {
      if (term.kind === 'name') {
        file(byName, term.name, rule.index);
      } else if (term.kind === 'labels' && term.match.keys.length > 0) {
        // The endpoint must carry the first key with one of its values, so filing under
        // each of those values misses no endpoint the term selects.
        const key = term.match.keys[0]!;
        let values = byLabel.get(key);
        if (values === undefined) byLabel.set(key, (values = new Map<string, number[]>()));
        for (const value of term.match.values[0]!) file(values, value, rule.index);
      } else if (scanned[scanned.length - 1] !== rule.index) {
        scanned.push(rule.index);
      }
    }
  }
  return { side, rules, byLabel, byName, scanned };
}

/**
 * The indexes, in evaluation order, of the rules whose side of the index selects the
 * endpoint: the candidates filed under its labels and name, and the scanned rules, each
 * checked with the same compiled terms `decide` uses.
 */
export function selectingRules(index: SelectionIndex, endpoint: Endpoint): Int32Array {
  const candidates = new Set<number>(index.scanned);
  const labels = endpoint.labels;
  if (labels !== undefined) {
    for (const [key, values] of index.byLabel) {
      const value = labels[key];
      const list = value === undefined ? undefined : values.get(value);
      if (list !== undefined) for (const rule of list) candidates.add(rule);
    }
  }
  const named = endpoint.name === undefined ? undefined : index.byName.get(endpoint.name);
  if (named !== undefined) for (const rule of named) candidates.add(rule);

  const address = endpoint.address === undefined ? undefined : addressKey(endpoint.address);
  const out: number[] = [];
  for (const rule of candidates) {
    if (selectorHolds(index.rules[rule]![index.side], endpoint, address)) out.push(rule);
  }
  return Int32Array.from(out).sort();
}
