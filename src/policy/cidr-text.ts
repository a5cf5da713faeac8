import { parseCidr, tryParseAddress } from '../domain/index.js';
import type { Cidr } from '../domain/index.js';

/** A prefix that did not parse, with what is wrong and the fix. */
export interface CidrProblem {
  readonly code: 'invalid_cidr';
  readonly problem: string;
}

const ADDRESS_HINT = 'write a dotted quad like 198.18.0.1 or an IPv6 address like 2001:db8::1';

/**
 * Parses a prefix or a bare address (a host prefix) strictly: no host bits, no leading
 * zeros, no prefix longer than the family allows. Returns why not instead of throwing.
 */
export function readCidr(raw: string): Cidr | CidrProblem {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);

  if (tryParseAddress(addressText) === undefined)
    return { code: 'invalid_cidr', problem: addressProblem(addressText) };
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    const max = addressText.includes(':') ? 128 : 32;
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > max) {
      const problem = `prefix length "${lengthText}" is out of range; write a number from 0 to ${max}`;
      return { code: 'invalid_cidr', problem };
    }
  }

  try {
    return parseCidr(text);
  } catch (error: unknown) {
    // Address and length are valid here, so the domain parser objected to host bits.
    const message = error instanceof Error ? error.message : String(error);
    const fix = /write (\S+)$/.exec(message)?.[1];
    const problem = fix === undefined ? message : `host bits are set; write ${fix}`;
    return { code: 'invalid_cidr', problem };
  }
}

/** Whether a text looks like an address or prefix, so a parse failure means a typo in one. */
export function looksLikeCidr(text: string): boolean {
  return /^[0-9.]+(\/.*)?$/.test(text) || /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(\/.*)?$/.test(text);
}

function addressProblem(text: string): string {
  const octets = text.split('.');
  const leadingZero = octets.find((octet) => /^0\d+$/.test(octet));
  if (octets.length === 4 && leadingZero !== undefined) {
    const fixed = octets.map((octet) => String(Number(octet))).join('.');
    return `octet "${leadingZero}" has a leading zero, which some tools read as octal; write ${fixed}`;
  }
  return `"${text}" is not an IP address; ${ADDRESS_HINT}`;
}
