export { aggregateEdges } from './aggregate.js';
export { listeningKey, orientFlows } from './direction.js';
export type { DirectionContext, OrientedFlow } from './direction.js';
export { SERVICE_PORTS, WELL_KNOWN_NAMES, servicePortName } from './service-ports.js';
