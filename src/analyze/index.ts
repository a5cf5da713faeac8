export { simulate } from './simulate.js';
export type { RuleHits, SimulateOptions, SimulatedEdge, Simulation } from './simulate.js';
