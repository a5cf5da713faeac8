export { FLOW_FORMATS, chooseFormat } from './formats.js';
export type { FlowFormat } from './formats.js';
export { readHead } from './head.js';
export { ingestFile } from './ingest-file.js';
export type { IngestOptions, IngestSummary } from './ingest-file.js';
export { KEPT_ISSUES, createReport, reject, skip } from './report.js';
export type { FlowSink, ReadReport, RejectedRecord, WorkloadSink } from './report.js';
export { DEFAULT_BATCH, createEdgeWriter } from './edge-writer.js';
export type { EdgeWriter } from './edge-writer.js';
