export { INTERNAL_RANGES, isOutside } from './outside.js';
export { recommend } from './recommend.js';
export type { Recommendation, RecommendOptions, RecommendedRule, SideText } from './recommend.js';
