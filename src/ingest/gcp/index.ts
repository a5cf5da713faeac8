export { GCP_FORMAT, readGcpFlowLog } from './read.js';
export { isGcpFlowLog } from './sniff.js';
export { parseGcpFlow } from './entry.js';
export type { GcpEntry } from './entry.js';
