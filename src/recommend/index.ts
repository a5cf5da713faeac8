export { INTERNAL_RANGES, isOutside, isOutsideWorkload } from './outside.js';
export { recommend } from './recommend.js';
export type { Recommendation, RecommendOptions, RecommendedRule, SideText } from './recommend.js';
