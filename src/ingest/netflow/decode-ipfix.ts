import { domainOf } from './exporter.js';
import type { ExporterState } from './exporter.js';
import { decodeDataSet, isZero, malformed, storeTemplate, withdrawTemplate } from './state.js';
import type { DecoderState } from './state.js';
import { compileTemplate } from './template.js';
import type { TemplateField } from './template.js';

/** IPFIX message header: version, length, export time, sequence, domain id (RFC 7011 3.1). */
export const IPFIX_HEADER = 16;

/**
 * Decodes an IPFIX message (RFC 7011): template sets (2), options template sets (3) and
 * data sets (≥ 256). The sequence number counts data records, so the datagram's records
 * are counted for the loss figure; a data set without its template makes the count
 * unknown and the tracker resynchronises.
 */
export function decodeIpfix(
  state: DecoderState,
  exporter: ExporterState,
  datagramLength: number,
): void {
  const { ctx } = state;
  const view = ctx.view;
  if (datagramLength < IPFIX_HEADER) {
    malformed(state, exporter, 'short-header', `IPFIX datagram of ${datagramLength} bytes`);
    return;
  }
  const length = view.getUint16(2);
  if (length > datagramLength || length < IPFIX_HEADER) {
    malformed(
      state,
      exporter,
      'length-past-end',
      `IPFIX header says ${length} bytes, datagram has ${datagramLength}`,
    );
    return;
  }

  ctx.sysUptime = -1;
  ctx.exportMillis = view.getUint32(4) * 1000;
  const sequence = view.getUint32(8);
  ctx.domain = domainOf(exporter, 10, view.getUint32(12));

  let records = 0;
  let counted = true;
  let at = IPFIX_HEADER;
  while (at + 4 <= length) {
    const setId = view.getUint16(at);
    const setLength = view.getUint16(at + 2);
    if (setLength < 4) {
      malformed(
        state,
        exporter,
        'set-too-short',
        `set ${setId} at offset ${at} has length ${setLength}`,
      );
      break;
    }
    const end = at + setLength;
    if (end > length) {
      malformed(
        state,
        exporter,
        'set-past-end',
        `set ${setId} at offset ${at} ends at ${end} of ${length}`,
      );
      break;
    }
    if (setId === 2 || setId === 3) readTemplates(state, at + 4, end, setId === 3);
    else if (setId >= 256) {
      const template = ctx.domain.templates.get(setId);
      if (template === undefined) {
        exporter.noTemplate += 1;
        counted = false;
      } else records += decodeDataSet(state, template, at + 4, end);
    }
    at = end;
  }

  if (counted) ctx.domain.sequence.observe(sequence, records);
  else ctx.domain.sequence.observeUncounted(sequence);
}

/** Reads `count` field specifiers; returns the offset after them, or -1 past `end`. */
function readFields(
  state: DecoderState,
  start: number,
  end: number,
  count: number,
  out: TemplateField[],
): number {
  const view = state.ctx.view;
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) return -1;
    const type = view.getUint16(at);
    const length = view.getUint16(at + 2);
    at += 4;
    if ((type & 0x8000) === 0) {
      out.push({ element: type, length, enterprise: 0 });
      continue;
    }
    if (at + 4 > end) return -1;
    out.push({ element: type & 0x7fff, length, enterprise: view.getUint32(at) });
    at += 4;
  }
  return at;
}

function readTemplates(state: DecoderState, start: number, end: number, options: boolean): void {
  const { view, exporter, bytes } = state.ctx;
  const headerLength = options ? 6 : 4;
  let at = start;
  while (end - at >= 4) {
    const id = view.getUint16(at);
    const count = view.getUint16(at + 2);
    if (count === 0 && (id >= 256 || id === (options ? 3 : 2))) {
      withdrawTemplate(state, id, options);
      at += 4;
      continue;
    }
    if (id < 256) {
      if (!isZero(bytes, at, end))
        malformed(state, exporter, 'template-bad-id', `template id ${id} at offset ${at}`);
      return;
    }
    if (end - at < headerLength) {
      malformed(state, exporter, 'template-truncated', `options template ${id} header cut off`);
      return;
    }
    const scopeCount = options ? view.getUint16(at + 4) : 0;
    if (options && (scopeCount === 0 || scopeCount > count)) {
      malformed(
        state,
        exporter,
        'template-bad-scope',
        `options template ${id} has ${scopeCount} scope fields of ${count}`,
      );
      return;
    }

    const fields: TemplateField[] = [];
    const next = readFields(state, at + headerLength, end, count, fields);
    if (next < 0) {
      malformed(
        state,
        exporter,
        'template-truncated',
        `template ${id} declares ${count} fields past the set end`,
      );
      return;
    }
    const template = compileTemplate(id, fields, options);
    if (typeof template === 'string') malformed(state, exporter, template, `template ${id}`);
    else storeTemplate(state, template);
    at = next;
  }
}
