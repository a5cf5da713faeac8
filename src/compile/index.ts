export { buildEnforcementPlan } from './build-plan.js';
export type { BuildPlanOptions } from './build-plan.js';
export { CompileError } from './errors.js';
export {
  addressSetContains,
  bigIntToAddress,
  formatAddressRange,
  mergeIntervals,
  prefixesToIntervalSet,
  subtractIntervals,
} from './interval.js';
export type { AddressRange, AddressSet, Interval, IntervalSet } from './interval.js';
export type { Direction, EnforcementPlan, EnforcementPoint, PlanRule, PlanTier } from './plan.js';
export { ALL_PORTS, planServices } from './service.js';
export type { PlanService } from './service.js';
export { NFT_TABLE, renderNftables } from './nftables/index.js';
export type { NftablesOptions } from './nftables/index.js';
