import type { FlowSink } from '../report.js';
import { decodeIpfix } from './decode-ipfix.js';
import { decodeV5 } from './decode-v5.js';
import { decodeV9 } from './decode-v9.js';
import { createExporterState, domainOf } from './exporter.js';
import type { ExporterState, MalformedReason } from './exporter.js';
import { RecordScratch } from './record.js';
import { malformed } from './state.js';
import type { DecoderLimits, DecoderState, NetflowIssue } from './state.js';
import type { SequenceCounts } from './sequence.js';

/** Where a datagram came from. A dgram `RemoteInfo` fits. */
export interface Exporter {
  /** The exporter's IP address, or a label for file input. */
  readonly address: string;
  readonly port: number;
}

/** Options of a decoder; every field has a default. */
export interface NetflowDecoderOptions extends Partial<DecoderLimits> {
  /** Called for every malformed part of a datagram, with the exporter and the reason. */
  readonly onIssue?: (issue: NetflowIssue) => void;
}

/** What one exporter sent, as `bulkhead collect --output json` prints it. */
export interface ExporterCounters {
  readonly exporter: string;
  readonly datagrams: number;
  readonly flows: number;
  /** Data records that made no flow (no addresses in the template). */
  readonly recordsWithoutFlow: number;
  readonly optionsRecords: number;
  /** Templates held now, and received, withdrawn and refused (cache full) so far. */
  readonly templates: number;
  readonly templatesReceived: number;
  readonly templatesWithdrawn: number;
  readonly templatesRefused: number;
  /** Data sets dropped because their template had not arrived. */
  readonly noTemplate: number;
  /** Summed over domains. v5 and IPFIX count records; v9 counts datagrams. */
  readonly loss: SequenceCounts;
  readonly malformed: Readonly<Partial<Record<MalformedReason, number>>>;
  /** Data-record fields skipped, keyed by enterprise number. */
  readonly enterpriseFieldsSkipped: Readonly<Record<string, number>>;
}

/** Counters over all exporters. */
export interface NetflowStats {
  readonly datagrams: number;
  readonly flows: number;
  readonly templates: number;
  /** Datagrams dropped because maxExporters exporters were already tracked. */
  readonly exportersOverLimit: number;
  readonly exporters: readonly ExporterCounters[];
}

/** A stateful NetFlow v5/v9/IPFIX decoder: templates and sequence numbers per exporter. */
export interface NetflowDecoder {
  /**
   * Decodes one export datagram; flows go to the sink in record order. Never throws on
   * bad input: problems are counted per exporter and reason.
   *
   * @returns The number of flows emitted.
   */
  decode(datagram: Uint8Array, exporter: Exporter, sink: FlowSink): number;
  /** A snapshot of the counters. */
  stats(): NetflowStats;
  /** Templates held over all exporters. */
  templateCount(): number;
}

const DEFAULT_LIMITS: DecoderLimits = {
  maxTemplates: 16_384,
  maxTemplatesPerDomain: 1_024,
  maxExporters: 4_096,
};

const NO_SINK: FlowSink = () => undefined;

/**
 * Creates a decoder. One decoder holds the templates of every exporter it hears; feed
 * it datagrams in arrival order.
 *
 * @example
 * const decoder = createNetflowDecoder();
 * decoder.decode(payload, { address: '198.18.0.1', port: 2055 }, (flow) => flows.push(flow));
 */
export function createNetflowDecoder(options: NetflowDecoderOptions = {}): NetflowDecoder {
  const limits: DecoderLimits = {
    maxTemplates: options.maxTemplates ?? DEFAULT_LIMITS.maxTemplates,
    maxTemplatesPerDomain: options.maxTemplatesPerDomain ?? DEFAULT_LIMITS.maxTemplatesPerDomain,
    maxExporters: options.maxExporters ?? DEFAULT_LIMITS.maxExporters,
  };
  const exporters = new Map<string, Map<number, ExporterState>>();
  let exporterCount = 0;
  let exportersOverLimit = 0;
  const placeholder = createExporterState('0.0.0.0', 0);
  const state: DecoderState = {
    ctx: {
      view: new DataView(new ArrayBuffer(0)),
      bytes: new Uint8Array(0),
      exporter: placeholder,
      domain: domainOf(placeholder, 0, 0),
      sink: NO_SINK,
      exportMillis: 0,
      sysUptime: -1,
      flows: 0,
    },
    scratch: new RecordScratch(),
    limits,
    templateCount: 0,
    onIssue: options.onIssue,
  };

  const exporterOf = (from: Exporter): ExporterState | undefined => {
    let ports = exporters.get(from.address);
    let found = ports?.get(from.port);
    if (found !== undefined) return found;
    if (exporterCount >= limits.maxExporters) return undefined;
    if (ports === undefined) {
      ports = new Map<number, ExporterState>();
      exporters.set(from.address, ports);
    }
    found = createExporterState(from.address, from.port);
    ports.set(from.port, found);
    exporterCount += 1;
    return found;
  };

  return {
    decode(datagram, from, sink) {
      const exporter = exporterOf(from);
      if (exporter === undefined) {
        exportersOverLimit += 1;
        return 0;
      }
      exporter.datagrams += 1;
      const ctx = state.ctx;
      ctx.bytes = datagram;
      ctx.view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
      ctx.exporter = exporter;
      ctx.sink = sink;
      ctx.flows = 0;
      decodeDatagram(state, exporter, datagram.byteLength);
      exporter.flows += ctx.flows;
      return ctx.flows;
    },
    stats: () => collectStats(exporters, exportersOverLimit),
    templateCount: () => state.templateCount,
  };
}

function decodeDatagram(state: DecoderState, exporter: ExporterState, length: number): void {
  if (length < 2) {
    malformed(state, exporter, 'short-header', `datagram of ${length} bytes`);
    return;
  }
  const version = state.ctx.view.getUint16(0);
  try {
    if (version === 5) decodeV5(state, exporter, length);
    else if (version === 9) decodeV9(state, exporter, length);
    else if (version === 10) decodeIpfix(state, exporter, length);
    else malformed(state, exporter, 'bad-version', `version ${version}`);
  } catch (error) {
    // Every read is bounds-checked before it is made; a RangeError here is a decoder bug,
    // but a collector must outlive it, so it counts as a truncated datagram.
    if (!(error instanceof RangeError)) throw error;
    malformed(state, exporter, 'length-past-end', `read past the datagram end: ${error.message}`);
  }
}

function exporterCounters(exporter: ExporterState): ExporterCounters {
  const loss: SequenceCounts = { expected: 0, received: 0, lost: 0, resets: 0, reordered: 0 };
  let templates = 0;
  for (const domain of exporter.domains.values()) {
    templates += domain.templates.size;
    const counts = domain.sequence.counts;
    loss.expected += counts.expected;
    loss.received += counts.received;
    loss.lost += counts.lost;
    loss.resets += counts.resets;
    loss.reordered += counts.reordered;
  }
  return {
    exporter: exporter.name,
    datagrams: exporter.datagrams,
    flows: exporter.flows,
    recordsWithoutFlow: exporter.recordsWithoutFlow,
    optionsRecords: exporter.optionsRecords,
    templates,
    templatesReceived: exporter.templatesReceived,
    templatesWithdrawn: exporter.templatesWithdrawn,
    templatesRefused: exporter.templatesRefused,
    noTemplate: exporter.noTemplate,
    loss,
    malformed: Object.fromEntries(exporter.malformed),
    enterpriseFieldsSkipped: Object.fromEntries(
      [...exporter.enterpriseSkipped].map(([k, v]) => [String(k), v]),
    ),
  };
}

function collectStats(
  exporters: Map<string, Map<number, ExporterState>>,
  exportersOverLimit: number,
): NetflowStats {
  const list: ExporterCounters[] = [];
  for (const ports of exporters.values())
    for (const exporter of ports.values()) list.push(exporterCounters(exporter));
  return {
    datagrams: list.reduce((n, e) => n + e.datagrams, 0),
    flows: list.reduce((n, e) => n + e.flows, 0),
    templates: list.reduce((n, e) => n + e.templates, 0),
    exportersOverLimit,
    exporters: list,
  };
}
