export { applyLabelRules } from './apply-labels.js';
export type { LabelAssignment, ServedPorts } from './apply-labels.js';
export { parseLabelRules } from './label-rules.js';
export type { LabelRule, LabelRuleMatch } from './label-rules.js';
