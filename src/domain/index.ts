export * from './address.js';
export * from './edge.js';
export * from './errors.js';
export * from './flow.js';
export * from './label.js';
export * from './protocol.js';
export * from './workload.js';
export * from './policy.js';
