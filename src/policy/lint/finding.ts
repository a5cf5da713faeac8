import type { Place } from '../../domain/index.js';

/** Stable codes of lint findings; scripts and the UI key on them. */
export type LintCode =
  | 'matches_nothing'
  | 'never_hit'
  | 'shadowed'
  | 'redundant'
  | 'overly_broad'
  | 'conflict'
  | 'no_dns'
  | 'unknown_label';

/** Something in a valid policy that is probably not what its author meant. */
export interface LintFinding {
  readonly code: LintCode;
  readonly severity: 'warning' | 'error';
  /** The rule the finding is about, when there is one. */
  readonly rule?: string;
  readonly message: string;
  readonly place?: Place;
}

/** A finding about a rule, with the rule's place when it has one. */
export function ruleFinding(
  code: LintCode,
  rule: { readonly id: string; readonly place?: Place },
  message: string,
  severity: LintFinding['severity'] = 'warning',
): LintFinding {
  const base = { code, severity, rule: rule.id, message };
  return rule.place === undefined ? base : { ...base, place: rule.place };
}
