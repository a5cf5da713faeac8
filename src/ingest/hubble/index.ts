export { HUBBLE_FORMAT, readHubbleFlows } from './read.js';
export { isHubbleFlows } from './sniff.js';
export { hubbleLabels } from './labels.js';
export { parseHubbleFlow } from './record.js';
export type { HubbleRecord } from './record.js';
