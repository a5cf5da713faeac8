export { compileDecider } from './decider.js';
export type { Decider, DeciderOptions } from './decider.js';
export type { EndpointId } from './endpoint-table.js';
export { createPolicySpace, portText } from './space.js';
export type { PolicySpace, ServiceAtom, SpaceEndpoint } from './space.js';
