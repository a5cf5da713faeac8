export { GATEWAY_TABLE, renderGateway } from './render.js';
export type { GatewayOptions } from './render.js';
