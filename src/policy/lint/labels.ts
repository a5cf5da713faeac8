import type { LabelMatch, Policy, Selector, Workload } from '../../domain/index.js';
import { selectsWorkload } from '../select.js';

import type { LintFinding } from './finding.js';
import { ruleFinding } from './finding.js';

/**
 * Rule sides that name labels or workloads yet select no workload of the inventory
 * (segments followed). Sides of `any`, networks and prefixes only are left alone: they
 * may be meant for addresses outside the inventory.
 */
export function nothingFindings(
  policy: Policy,
  workloads: readonly Workload[],
  at?: number,
): LintFinding[] {
  const out: LintFinding[] = [];
  for (const rule of policy.tiers.flatMap((tier) => tier.rules)) {
    if (at !== undefined && rule.expires !== undefined && rule.expires < at) continue;
    for (const side of ['from', 'to'] as const) {
      if (!namesWorkloads(policy, rule[side], 0)) continue;
      if (workloads.some((workload) => selectsWorkload(policy, rule[side], workload))) continue;
      const message = `Cannot match rule "${rule.id}" to any workload: its ${side} side selects none of the ${workloads.length} workloads of the inventory; check its labels and workload names, or remove the rule`;
      out.push(ruleFinding('matches_nothing', rule, message));
    }
  }
  return out;
}

function namesWorkloads(policy: Policy, selector: Selector, depth: number): boolean {
  return selector.some((term) => {
    if (term.kind === 'labels' || term.kind === 'workload') return true;
    if (term.kind !== 'segment' || depth >= 8) return false;
    const segment = policy.segments.get(term.name);
    return segment !== undefined && namesWorkloads(policy, segment.select, depth + 1);
  });
}

interface LabelUse {
  readonly key: string;
  readonly value: string;
  /** Where the policy uses it: `rule "x"`, `segment "cde"`, `modes[1]`, `tests[0]`. */
  readonly where: string;
}

/**
 * Label keys, and values of known keys, that the policy uses but no workload carries:
 * usually a typo, or a label the inventory has not been given yet. One finding per key or
 * key=value, naming where it is first used and what the inventory knows.
 */
export function labelFindings(policy: Policy, workloads: readonly Workload[]): LintFinding[] {
  const known = new Map<string, Set<string>>();
  for (const workload of workloads) {
    for (const [key, value] of Object.entries(workload.labels)) {
      known.set(key, (known.get(key) ?? new Set()).add(value));
    }
  }

  const out: LintFinding[] = [];
  const reported = new Set<string>();
  for (const use of labelUses(policy)) {
    const values = known.get(use.key);
    const id = values === undefined ? use.key : `${use.key}=${use.value}`;
    if (values?.has(use.value) === true || reported.has(id)) continue;
    reported.add(id);
    const knownText =
      values === undefined
        ? `known keys are ${[...known.keys()].sort().join(', ') || 'none'}`
        : `known values of ${use.key} are ${[...values].sort().join(', ')}`;
    const what =
      values === undefined ? `label key "${use.key}"` : `label value "${use.key}=${use.value}"`;
    const message = `Cannot find ${what} used by ${use.where} on any workload: no workload carries it; ${knownText}`;
    out.push({ code: 'unknown_label', severity: 'warning', message });
  }
  return out;
}

function labelUses(policy: Policy): LabelUse[] {
  const out: LabelUse[] = [];
  const add = (selector: Selector, where: string): void => {
    for (const term of selector) {
      if (term.kind !== 'labels') continue;
      for (const match of [term.match, term.not ?? {}] as LabelMatch[]) {
        for (const [key, values] of Object.entries(match)) {
          for (const value of values) out.push({ key, value, where });
        }
      }
    }
  };
  for (const rule of policy.tiers.flatMap((tier) => tier.rules)) {
    add(rule.from, `rule "${rule.id}"`);
    add(rule.to, `rule "${rule.id}"`);
  }
  for (const segment of policy.segments.values()) add(segment.select, `segment "${segment.name}"`);
  policy.modes.forEach((mode, index) => {
    add(mode.scope, `modes[${index}]`);
  });
  policy.tests.forEach((test, index) => {
    add(test.from, `tests[${index}]`);
    add(test.to, `tests[${index}]`);
  });
  return out;
}
