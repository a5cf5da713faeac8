import type { PolicyIssueCode } from './issue.js';

/**
 * Something in a text that could not be read, before it is placed in a file: what was
 * being done, the value, and what is wrong with the fix.
 */
export interface Problem {
  readonly code: PolicyIssueCode;
  /** What could not be done, lower case: `parse port range`, `find network`. */
  readonly doing: string;
  readonly value: string;
  /** What is wrong and how to fix it. */
  readonly problem: string;
}

/** Formats `Cannot <doing> "<value>"<where>: <problem>`; `where` is `` or ` at <path>`. */
export function problemMessage(problem: Problem, where: string): string {
  return `Cannot ${problem.doing} "${problem.value}"${where}: ${problem.problem}`;
}
