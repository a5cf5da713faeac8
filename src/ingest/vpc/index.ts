export { VPC_FORMAT, readVpcFlowLog } from './read.js';
export { isVpcFlowLog } from './sniff.js';
export { VPC_DEFAULT_FIELDS, VPC_FIELD_NAMES, createVpcLayout, parseVpcHeader } from './layout.js';
export type { VpcLayout } from './layout.js';
export { parseVpcRecord } from './record.js';
