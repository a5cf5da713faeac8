import type { Address } from '../../domain/index.js';

/** Formats the 4 bytes at `offset` as a dotted quad. */
export function formatIpv4(bytes: Uint8Array, offset: number): Address {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}` as Address;
}

/**
 * Formats the 16 bytes at `offset` in RFC 5952 form: lower-case hex without leading
 * zeros, the longest run of two or more zero groups (the first one on a tie) as `::`.
 */
export function formatIpv6(view: DataView, offset: number): Address {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let group = 0; group <= 8; group++) {
    const zero = group < 8 && view.getUint16(offset + group * 2) === 0;
    if (zero && runStart < 0) runStart = group;
    if (zero || runStart < 0) continue;
    if (group - runStart > bestLength) {
      bestStart = runStart;
      bestLength = group - runStart;
    }
    runStart = -1;
  }

  let text = '';
  for (let group = 0; group < 8; group++) {
    if (group === bestStart) {
      text += '::';
      group += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += view.getUint16(offset + group * 2).toString(16);
  }
  return text as Address;
}
