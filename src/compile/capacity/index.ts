export { DEFAULT_LIMITS, checkCapacity } from './check.js';
export type { CapacityFinding, CapacityInputs, CapacityLimits } from './check.js';
