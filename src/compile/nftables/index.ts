export { NFT_TABLE, renderNftables } from './render.js';
export type { NftablesOptions } from './render.js';
