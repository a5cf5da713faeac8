export { labelExpression, renderCalico } from './render.js';
export type { CalicoOptions } from './render.js';
