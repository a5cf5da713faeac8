export { AWS_INVENTORY_FORMAT, isAwsInventory, readAwsInventory } from './aws-inventory.js';
export type { AwsInventoryReport } from './aws-inventory.js';
export type { AwsPermission, AwsSecurityGroup } from './security-group.js';
export { labelKeyOfTag, labelValueOfTag } from './tag-label.js';
