import { SequenceTracker } from './sequence.js';
import type { Template } from './template.js';

/** Why (part of) a datagram was not decoded. Stable codes; the README lists them. */
export type MalformedReason =
  | 'short-header'
  | 'bad-version'
  | 'length-past-end'
  | 'set-too-short'
  | 'set-past-end'
  | 'template-truncated'
  | 'template-zero-fields'
  | 'template-zero-length'
  | 'template-bad-id'
  | 'template-bad-scope'
  | 'record-truncated'
  | 'v5-count';

/** The observation domain (IPFIX) or source id (v9) or engine (v5) of one exporter. */
export interface DomainState {
  readonly id: number;
  /** `Flow.observer` for flows of this domain: `address#domain`. */
  readonly observer: string;
  readonly templates: Map<number, Template>;
  readonly sequence: SequenceTracker;
  /** Sampling rate from the latest options record (or v5 header); 1 when unsampled. */
  defaultRate: number;
  /** Rates per sampler id (IE 48) from options records. */
  readonly samplerRates: Map<number, number>;
  /** IPFIX systemInitTimeMilliseconds (IE 160) from options data; -1 when unknown. */
  systemInitMillis: number;
}

/** Counters and state of one exporter (address and port). */
export interface ExporterState {
  /** `address:port`, or a label for file input. */
  readonly name: string;
  readonly address: string;
  readonly domains: Map<number, DomainState>;
  datagrams: number;
  flows: number;
  /** Data records that named no addresses (or used an options template) and made no flow. */
  recordsWithoutFlow: number;
  templatesReceived: number;
  templatesWithdrawn: number;
  optionsRecords: number;
  /** Data sets dropped because their template had not arrived (see README). */
  noTemplate: number;
  /** Templates refused because the cache was full. */
  templatesRefused: number;
  readonly malformed: Map<MalformedReason, number>;
  /** Data-record fields skipped per enterprise number. */
  readonly enterpriseSkipped: Map<number, number>;
}

/** Creates the state of an exporter seen for the first time. */
export function createExporterState(address: string, port: number): ExporterState {
  return {
    name: address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`,
    address,
    domains: new Map(),
    datagrams: 0,
    flows: 0,
    recordsWithoutFlow: 0,
    templatesReceived: 0,
    templatesWithdrawn: 0,
    optionsRecords: 0,
    noTemplate: 0,
    templatesRefused: 0,
    malformed: new Map(),
    enterpriseSkipped: new Map(),
  };
}

/**
 * The domain state for a version and id; versions get separate template spaces because
 * a v9 source id and an IPFIX domain id are different namespaces on the same exporter.
 */
export function domainOf(exporter: ExporterState, version: number, id: number): DomainState {
  const key = version * 2 ** 32 + id;
  let domain = exporter.domains.get(key);
  if (domain === undefined) {
    domain = {
      id,
      observer: `${exporter.address}#${id}`,
      templates: new Map(),
      sequence: new SequenceTracker(),
      defaultRate: 1,
      samplerRates: new Map(),
      systemInitMillis: -1,
    };
    exporter.domains.set(key, domain);
  }
  return domain;
}

/** Adds `n` to a counter map. */
export function bump<K>(counts: Map<K, number>, key: K, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}
