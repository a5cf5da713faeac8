export { compileDecider } from './decider.js';
export type { Decider, DeciderOptions } from './decider.js';
