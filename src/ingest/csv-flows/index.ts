export { CSV_FLOWS_FORMAT, readCsvFlows } from './read.js';
export { isCsvFlows } from './sniff.js';
export { CSV_FLOW_KEYS, DEFAULT_CSV_FLOW_MAPPING, parseCsvFlowMapping } from './mapping.js';
export type { CsvFlowKey, CsvFlowMapping } from './mapping.js';
export { parseCsvFlowRow } from './row.js';
export type { CsvFlowColumns } from './row.js';
