export { importTailscale } from './import.js';
export { compileTailscaleFilters } from './compile-filters.js';
export { parseHujson } from './hujson.js';
export type { HuMember, HuParseResult, HuPlace, HuValue } from './hujson.js';
export type {
  FilterDestination,
  FilterPortRange,
  PacketFilterRule,
  TailscaleImport,
  TailscaleImportError,
  TailscaleImported,
  TailscaleNode,
} from './types.js';
