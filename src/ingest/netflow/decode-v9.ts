import { domainOf } from './exporter.js';
import type { ExporterState } from './exporter.js';
import { decodeDataSet, isZero, malformed, storeTemplate } from './state.js';
import type { DecoderState } from './state.js';
import { compileTemplate } from './template.js';
import type { TemplateField } from './template.js';

/** NetFlow v9 header: version, count, sysUptime, unix secs, sequence, source id (RFC 3954). */
export const V9_HEADER = 20;

/**
 * Decodes a NetFlow v9 export packet (RFC 3954): template flowsets (id 0), options
 * template flowsets (id 1) and data flowsets (id ≥ 256). The header's record count is
 * not trusted; flowset lengths decide.
 */
export function decodeV9(state: DecoderState, exporter: ExporterState, length: number): void {
  const { ctx } = state;
  const view = ctx.view;
  if (length < V9_HEADER) {
    malformed(state, exporter, 'short-header', `v9 datagram of ${length} bytes`);
    return;
  }

  ctx.sysUptime = view.getUint32(4);
  ctx.exportMillis = view.getUint32(8) * 1000;
  const sequence = view.getUint32(12);
  ctx.domain = domainOf(exporter, 9, view.getUint32(16));

  let at = V9_HEADER;
  while (at + 4 <= length) {
    const setId = view.getUint16(at);
    const setLength = view.getUint16(at + 2);
    if (setLength < 4) {
      // Some exporters (Palo Alto) send fixed-size datagrams filled with zeros.
      if (!isZero(ctx.bytes, at, length)) {
        malformed(
          state,
          exporter,
          'set-too-short',
          `flowset ${setId} at offset ${at} has length ${setLength}`,
        );
      }
      break;
    }
    const end = at + setLength;
    if (end > length) {
      malformed(
        state,
        exporter,
        'set-past-end',
        `flowset ${setId} at offset ${at} ends at ${end} of ${length}`,
      );
      break;
    }
    decodeFlowset(state, setId, at + 4, end);
    at = end;
  }
  ctx.domain.sequence.observe(sequence, 1);
}

function decodeFlowset(state: DecoderState, setId: number, start: number, end: number): void {
  const exporter = state.ctx.exporter;
  if (setId === 0) {
    readTemplates(state, start, end);
  } else if (setId === 1) {
    readOptionsTemplates(state, start, end);
  } else if (setId >= 256) {
    const template = state.ctx.domain.templates.get(setId);
    if (template === undefined) exporter.noTemplate += 1;
    else decodeDataSet(state, template, start, end);
  }
  // Flowset ids 2–255 are reserved; RFC 3954 says to skip them.
}

function readFields(state: DecoderState, at: number, count: number): TemplateField[] {
  const view = state.ctx.view;
  const fields: TemplateField[] = [];
  for (let i = 0; i < count; i++) {
    fields.push({
      element: view.getUint16(at + 4 * i),
      length: view.getUint16(at + 4 * i + 2),
      enterprise: 0,
    });
  }
  return fields;
}

function readTemplates(state: DecoderState, start: number, end: number): void {
  const { view, exporter, bytes } = state.ctx;
  let at = start;
  while (end - at >= 4) {
    const id = view.getUint16(at);
    const count = view.getUint16(at + 2);
    if (id < 256) {
      if (!isZero(bytes, at, end))
        malformed(state, exporter, 'template-bad-id', `template id ${id} at offset ${at}`);
      return;
    }
    if (count === 0) {
      malformed(state, exporter, 'template-zero-fields', `template ${id} at offset ${at}`);
      return;
    }
    if (at + 4 + 4 * count > end) {
      malformed(
        state,
        exporter,
        'template-truncated',
        `template ${id} declares ${count} fields past the flowset end`,
      );
      return;
    }
    addTemplate(state, id, readFields(state, at + 4, count), false);
    at += 4 + 4 * count;
  }
}

function readOptionsTemplates(state: DecoderState, start: number, end: number): void {
  const { view, exporter, bytes } = state.ctx;
  let at = start;
  while (end - at >= 6) {
    const id = view.getUint16(at);
    const scopeLength = view.getUint16(at + 2);
    const optionLength = view.getUint16(at + 4);
    if (id < 256) {
      if (!isZero(bytes, at, end))
        malformed(state, exporter, 'template-bad-id', `options template id ${id} at offset ${at}`);
      return;
    }
    if (scopeLength % 4 !== 0 || optionLength % 4 !== 0) {
      malformed(
        state,
        exporter,
        'template-bad-scope',
        `options template ${id} has scope length ${scopeLength}, option length ${optionLength}`,
      );
      return;
    }
    if (at + 6 + scopeLength + optionLength > end) {
      malformed(
        state,
        exporter,
        'template-truncated',
        `options template ${id} runs past the flowset end`,
      );
      return;
    }
    // Scope fields (system, interface, line card…) are decoded and skipped like any field.
    const count = (scopeLength + optionLength) / 4;
    addTemplate(state, id, readFields(state, at + 6, count), true);
    at += 6 + scopeLength + optionLength;
    // An options template is padded to a 4-byte boundary; the padding ends the flowset.
    if (end - at < 6) return;
  }
}

function addTemplate(
  state: DecoderState,
  id: number,
  fields: TemplateField[],
  options: boolean,
): void {
  const template = compileTemplate(id, fields, options);
  if (typeof template === 'string') {
    malformed(state, state.ctx.exporter, template, `template ${id}`);
    return;
  }
  storeTemplate(state, template);
}
