import type { ExporterState, MalformedReason } from './exporter.js';
import { bump } from './exporter.js';
import { applyOptionsRecord, emitFlow, readRecord } from './record.js';
import type { DatagramContext, RecordScratch } from './record.js';
import type { Template } from './template.js';

/** A problem met while decoding, as the decoder reports it to its caller. */
export interface NetflowIssue {
  /** `address:port` of the exporter. */
  readonly exporter: string;
  readonly reason: MalformedReason;
  /** What was found, for people: offsets, ids, lengths. */
  readonly detail: string;
}

/** Limits that keep a decoder's memory bounded whatever exporters send. */
export interface DecoderLimits {
  /** Templates kept across all exporters. */
  readonly maxTemplates: number;
  /** Templates kept per exporter and observation domain. */
  readonly maxTemplatesPerDomain: number;
  /** Exporters tracked; datagrams from further exporters are counted and dropped. */
  readonly maxExporters: number;
}

/** The state shared by the version decoders of one decoder instance. */
export interface DecoderState {
  readonly ctx: DatagramContext;
  readonly scratch: RecordScratch;
  readonly limits: DecoderLimits;
  templateCount: number;
  readonly onIssue: ((issue: NetflowIssue) => void) | undefined;
}

/** Counts a malformed part of a datagram against its exporter and tells the caller. */
export function malformed(
  state: DecoderState,
  exporter: ExporterState,
  reason: MalformedReason,
  detail: string,
): void {
  bump(exporter.malformed, reason);
  state.onIssue?.({ exporter: exporter.name, reason, detail });
}

/**
 * Stores a template for the current domain, replacing one with the same id (a refresh).
 * Beyond the per-domain limit the oldest template of the domain goes; beyond the global
 * limit the new template is refused and counted.
 */
export function storeTemplate(state: DecoderState, template: Template): void {
  const { exporter, domain } = state.ctx;
  exporter.templatesReceived += 1;
  const templates = domain.templates;
  if (templates.delete(template.id)) state.templateCount -= 1;

  if (templates.size >= state.limits.maxTemplatesPerDomain) {
    const oldest = templates.keys().next();
    if (!oldest.done) {
      templates.delete(oldest.value);
      state.templateCount -= 1;
    }
  }
  if (state.templateCount >= state.limits.maxTemplates) {
    exporter.templatesRefused += 1;
    return;
  }
  templates.set(template.id, template);
  state.templateCount += 1;
}

/** Withdraws one template (IPFIX), or every template of a kind when `id` is the set id. */
export function withdrawTemplate(state: DecoderState, id: number, options: boolean): void {
  const { exporter, domain } = state.ctx;
  exporter.templatesWithdrawn += 1;
  if (id !== 2 && id !== 3) {
    if (domain.templates.delete(id)) state.templateCount -= 1;
    return;
  }
  for (const [key, template] of domain.templates) {
    if (template.options !== options) continue;
    domain.templates.delete(key);
    state.templateCount -= 1;
  }
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Decodes the records of one data set with a known template. Returns the number of
 * records read. Bytes after the last record that are too few for a record are padding
 * (RFC 7011 3.3.1); a record cut off by the set end counts as `record-truncated` unless
 * the rest is zeros.
 */
export function decodeDataSet(
  state: DecoderState,
  template: Template,
  start: number,
  end: number,
): number {
  const { ctx, scratch } = state;
  const exporter = ctx.exporter;
  let records = 0;
  let at = start;
  while (end - at >= template.minLength) {
    const next = readRecord(ctx, template, at, end, scratch);
    if (next < 0) {
      if (!isZero(ctx.bytes, at, end)) {
        malformed(state, exporter, 'record-truncated', `template ${template.id} at offset ${at}`);
      }
      break;
    }
    records += 1;
    at = next;
    if (template.options) {
      exporter.optionsRecords += 1;
      applyOptionsRecord(ctx.domain, scratch);
    } else if (!template.hasAddresses || !emitFlow(ctx, scratch)) {
      exporter.recordsWithoutFlow += 1;
    }
  }

  if (records > 0) {
    for (const enterprise of template.enterprises)
      bump(exporter.enterpriseSkipped, enterprise, records);
  }
  return records;
}

/** Whether the bytes from `start` to `end` are all zero (trailing padding). */
export { isZero };
