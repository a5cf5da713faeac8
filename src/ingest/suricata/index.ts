export { SURICATA_FORMAT, readSuricataEve } from './read.js';
export { isSuricataEve } from './sniff.js';
export { parseSuricataFlow } from './event.js';
export type { SuricataBlock } from './event.js';
