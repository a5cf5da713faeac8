export { INFRASTRUCTURE, infrastructureOf } from './infrastructure.js';
export type {
  CatalogueService,
  InfrastructureKind,
  InfrastructureMatch,
} from './infrastructure.js';
export { recommendIncremental } from './incremental.js';
export type { Increment, IncrementalOptions } from './incremental.js';
export { daysOf, learnEdges } from './learn-edges.js';
export type { LearnedEdge, LearningWindow } from './learn-edges.js';
export type { Coverage, ExcludedEdge, RuleConfidence, RuleFlag, Tightness } from './metrics.js';
export { refineOrientation } from './orientation.js';
export type { OrientationRefinement, RefinedFlow } from './orientation.js';
export { documentText, loadDocument, RECOMMENDED_FILE } from './document.js';
export { INTERNAL_RANGES, isOutside, isOutsideWorkload } from './outside.js';
export { recommend } from './recommend.js';
export type {
  EdgeExclusion,
  Recommendation,
  RecommendedRule,
  RecommendedTier,
  RecommendOptions,
} from './recommend.js';
export { RPC_RANGES, findRpcPorts, rpcRangeOf } from './rpc.js';
export type { RpcPort, RpcRange } from './rpc.js';
export type { NetworkDefinition, SideText } from './sides.js';
