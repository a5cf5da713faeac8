export { diffPolicies } from './diff-policies.js';
export type { Connection, DiffOptions, PolicyDiff } from './diff-policies.js';
