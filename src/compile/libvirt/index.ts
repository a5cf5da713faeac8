export { renderNwfilter } from './render.js';
export type { NwfilterOptions } from './render.js';
