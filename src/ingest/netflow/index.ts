export { createNetflowDecoder } from './decoder.js';
export type {
  Exporter,
  ExporterCounters,
  NetflowDecoder,
  NetflowDecoderOptions,
  NetflowStats,
} from './decoder.js';
export type { MalformedReason } from './exporter.js';
export type { SequenceCounts } from './sequence.js';
export { SequenceTracker } from './sequence.js';
export type { DecoderLimits, NetflowIssue } from './state.js';
export { NETFLOW_FORMAT, isNetflowPayloads, readNetflowPayloads } from './read.js';
export type { ReadNetflowOptions } from './read.js';
export { DEFAULT_RECEIVE_BUFFER, parseListenAddress, startNetflowCollector } from './collector.js';
export type { ListenAddress, NetflowCollector, NetflowCollectorOptions } from './collector.js';
