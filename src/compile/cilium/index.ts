export { CILIUM_NAMESPACE_LABEL, renderCilium } from './render.js';
export type { CiliumOptions } from './render.js';
