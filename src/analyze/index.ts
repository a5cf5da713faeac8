export { attackPaths } from './paths.js';
export type { AttackPath, PathHop } from './paths.js';
export { blastRadius, blastRadiusUnder } from './blast-radius.js';
export type { BlastRadius, ReachedWorkload } from './blast-radius.js';
export { checkIsolation } from './isolation.js';
export type { IsolationCounterexample, IsolationResult } from './isolation.js';
export { reachMatrix } from './matrix.js';
export type { MatrixCell } from './matrix.js';
export { networkParties, workloadParties } from './parties.js';
export type { Party } from './parties.js';
export { buildReachGraph, partiesSelected, partyName } from './reach-graph.js';
export type { ReachGraph } from './reach-graph.js';
export { indexRules, reachBetween, reachRules, reachServices } from './reach.js';
export type { Grant, Reach, ReachOptions } from './reach.js';
export { compareSimulations, simulate } from './simulate.js';
export type {
  RuleHits,
  SimulateOptions,
  SimulatedEdge,
  Simulation,
  SimulationChange,
} from './simulate.js';
export { analyzeManifests, formatConns } from './k8s/index.js';
export type { ConnlistResult, Connection } from './k8s/index.js';
