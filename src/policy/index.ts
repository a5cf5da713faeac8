export {
  createSelectionCache,
  networkContains,
  selectorPrefixes,
  selectsAny,
  selectsEndpoint,
  selectsWorkload,
  workloadEndpoint,
} from './select.js';
export { formatPath, hasErrors } from './issue.js';
export type { IssuePlace, PolicyIssue, PolicyIssueCode, PolicyLoadResult } from './issue.js';
export { loadPolicy, loadPolicyDocuments } from './load.js';
export type { PolicyDocument } from './load.js';
export { parseServiceSpec } from './service-spec.js';
export type { ServiceSpecResult } from './service-spec.js';
export { parseSelectorText } from './selector-text.js';
export type { SelectorTextResult } from './selector-text.js';
export { evaluate, ruleMatches } from './evaluate.js';
export type { EvaluateOptions, RuleMismatch } from './evaluate.js';
export { entryMatches, servicesMatch } from './service-match.js';
export { explain } from './explain.js';
export type { Explanation, RuleTrace, TierTrace } from './explain.js';
export { modeOf } from './mode.js';
export { KEPT_FAILURES, runPolicyTests } from './policy-tests.js';
export type { PolicyTestFailure, PolicyTestResult } from './policy-tests.js';
