export { renderDot } from './dot.js';
export { buildMap, groupName, indexAddresses } from './map.js';
export type { DependencyMap, MapEdge, MapNode } from './map.js';
