import { FIELD, fieldKind } from './fields.js';
import type { FieldKind } from './fields.js';

/** The field length that marks an IPFIX variable-length field (RFC 7011 section 7). */
export const VARIABLE_LENGTH = 65535;

/** One template field as it arrives on the wire. */
export interface TemplateField {
  readonly element: number;
  readonly length: number;
  /** 0 for IANA elements. */
  readonly enterprise: number;
}

/** A template compiled for the record loop: parallel arrays, one slot per field. */
export interface Template {
  readonly id: number;
  readonly options: boolean;
  readonly kinds: Uint8Array;
  /** Field lengths; VARIABLE_LENGTH for variable-length fields. */
  readonly lengths: Uint16Array;
  /** Bytes of a record with every variable-length field empty (one length byte each). */
  readonly minLength: number;
  /** Enterprise numbers of the skipped enterprise fields, one entry per field. */
  readonly enterprises: readonly number[];
  /** Whether a record of this template can be a flow (it names addresses). */
  readonly hasAddresses: boolean;
}

/** Why a template could not be used. */
export type TemplateProblem = 'template-zero-fields' | 'template-zero-length';

/**
 * Compiles wire fields into a Template, or names the problem: a template without fields
 * or whose records take no bytes would make the data-set loop spin forever.
 */
export function compileTemplate(
  id: number,
  fields: readonly TemplateField[],
  options: boolean,
): Template | TemplateProblem {
  if (fields.length === 0) return 'template-zero-fields';

  const kinds = new Uint8Array(fields.length);
  const lengths = new Uint16Array(fields.length);
  const enterprises: number[] = [];
  let minLength = 0;
  let hasAddresses = false;
  fields.forEach((field, i) => {
    const kind: FieldKind = fieldKind(field.element, field.enterprise);
    kinds[i] = kind;
    lengths[i] = field.length;
    minLength += field.length === VARIABLE_LENGTH ? 1 : field.length;
    if (kind === FIELD.skip && field.enterprise !== 0) enterprises.push(field.enterprise);
    if (kind === FIELD.src4 || kind === FIELD.src6) hasAddresses = true;
  });

  if (minLength === 0) return 'template-zero-length';
  return { id, options, kinds, lengths, minLength, enterprises, hasAddresses };
}
