export { CONNTRACK_FORMAT, readConntrack } from './read.js';
export { isConntrack } from './sniff.js';
export { conntrackFlow } from './entry.js';
export type { ConntrackEntry, ConntrackTuple } from './entry.js';
export { parseConntrackLine } from './text.js';
export type { ConntrackLine } from './text.js';
export { parseConntrackXmlFlow } from './xml.js';
