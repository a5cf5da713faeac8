export type {
  EdgeWindow,
  IngestRecord,
  ListeningPort,
  Store,
  WorkloadImportResult,
} from './store.js';
export { openSqliteStore } from './sqlite/sqlite-store.js';
