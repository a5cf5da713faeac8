import type { Policy } from '../domain/index.js';

/** Stable codes of the problems the policy loader reports; scripts and the UI key on them. */
export type PolicyIssueCode =
  | 'yaml_syntax'
  | 'duplicate_key'
  | 'wrong_type'
  | 'unknown_field'
  | 'missing_field'
  | 'conflicting_fields'
  | 'unsupported_version'
  | 'invalid_name'
  | 'reserved_name'
  | 'duplicate_name'
  | 'invalid_service'
  | 'unknown_protocol'
  | 'port_out_of_range'
  | 'reversed_port_range'
  | 'icmp_out_of_range'
  | 'unknown_service'
  | 'service_cycle'
  | 'invalid_cidr'
  | 'empty_network'
  | 'except_outside_network'
  | 'unknown_network'
  | 'invalid_selector'
  | 'empty_selector'
  | 'invalid_label_key'
  | 'invalid_label_value'
  | 'unknown_segment'
  | 'segment_cycle'
  | 'invalid_rule_id'
  | 'duplicate_rule_id'
  | 'duplicate_tier'
  | 'empty_tier'
  | 'invalid_action'
  | 'invalid_expires'
  | 'unknown_rule'
  | 'exceptions_without_isolation'
  | 'invalid_mode'
  | 'invalid_expect';

/** Where an issue sits: file, line and column, counted from 1. */
export interface IssuePlace {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One problem found in a policy file, with where it is and how to fix it. */
export interface PolicyIssue {
  readonly code: PolicyIssueCode;
  readonly severity: 'error' | 'warning';
  /** The path to the offending field, `['tiers', 1, 'rules', 0, 'services', 0]`. */
  readonly path: readonly (string | number)[];
  /** What could not be done, the quoted value, the path, what is wrong and the fix. */
  readonly message: string;
  readonly place: IssuePlace;
}

/** The outcome of loading: the policy when no issue is an error, and every issue found. */
export interface PolicyLoadResult {
  readonly policy: Policy | undefined;
  readonly issues: readonly PolicyIssue[];
}

/** A path to a field as it is written in messages: `tiers[1].rules[0].services[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the top level';

  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

/** Whether any issue is an error (warnings do not stop a policy from loading). */
export function hasErrors(issues: readonly PolicyIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
