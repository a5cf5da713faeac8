export { effectiveAllow, ruleBoxes, subtract } from './effective.js';
export type { FlowBox } from './effective.js';
export { WINDOWS_GROUP, renderWindows } from './render.js';
export type { WindowsRule, WindowsRuleset } from './render.js';
