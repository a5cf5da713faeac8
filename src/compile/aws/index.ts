export { renderAws } from './render.js';
export type { AwsPermission, AwsSecurityGroup, AwsSecurityGroups } from './render.js';
