export { lintPolicy } from './lint-policy.js';
export type { LintContext } from './lint-policy.js';
export type { LintCode, LintFinding } from './finding.js';
