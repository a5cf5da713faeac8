import ipaddr from 'ipaddr.js';

/** An IP address in canonical text form (IPv4 dotted quad, IPv6 RFC 5952). */
export type Address = string & { readonly __brand: 'Address' };

/** An address prefix in canonical text form, `198.18.0.0/15` or `2001:db8::/32`. */
export type Cidr = string & { readonly __brand: 'Cidr' };

export type Family = 4 | 6;

/**
 * Parses an IP address strictly and returns its canonical form.
 *
 * Rejects the lax forms that `inet_aton` accepts (hex, octal, fewer than four parts).
 * An IPv4-mapped IPv6 address stays IPv6.
 *
 * @throws RangeError naming the value when it is not an address.
 */
export function parseAddress(text: string): Address {
  const value = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) {
    return ipaddr.IPv4.parse(value).toString() as Address;
  }
  if (value.includes(':') && ipaddr.IPv6.isValid(value)) {
    return ipaddr.IPv6.parse(value).toRFC5952String() as Address;
  }
  throw new RangeError(
    `"${text}" is not an IP address: write a dotted quad like 198.18.0.1 or an IPv6 address like 2001:db8::1`,
  );
}

/** Returns the canonical address, or undefined when the text is not one. */
export function tryParseAddress(text: string): Address | undefined {
  try {
    return parseAddress(text);
  } catch {
    return undefined;
  }
}

/** Which family an address in canonical form belongs to. */
export function addressFamily(address: Address | Cidr): Family {
  return address.includes(':') ? 6 : 4;
}

/**
 * Parses a prefix; a bare address becomes a host prefix (/32 or /128). Host bits must be zero.
 *
 * @throws RangeError naming the value and the fix.
 */
export function parseCidr(text: string): Cidr {
  const value = text.trim();
  const slash = value.indexOf('/');
  if (slash < 0) {
    const address = parseAddress(value);
    return `${address}/${addressFamily(address) === 4 ? 32 : 128}` as Cidr;
  }

  const address = parseAddress(value.slice(0, slash));
  const lengthText = value.slice(slash + 1);
  const max = addressFamily(address) === 4 ? 32 : 128;
  const length = /^\d{1,3}$/.test(lengthText) ? Number(lengthText) : NaN;
  if (!(length >= 0 && length <= max)) {
    throw new RangeError(
      `"${text}" has prefix length "${lengthText}": write a number from 0 to ${max}`,
    );
  }

  const network = ipaddr.parse(address);
  const base = ipaddr.IPv4.isValid(address)
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${length}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${length}`).toRFC5952String();
  if (base !== network.toString() && base !== address) {
    throw new RangeError(`"${text}" has host bits set: write ${base}/${length}`);
  }
  return `${base}/${length}` as Cidr;
}

const parsedCidrs = new Map<string, [ipaddr.IPv4 | ipaddr.IPv6, number]>();

/** Whether an address lies inside a prefix (false across families). */
export function cidrContains(cidr: Cidr, address: Address): boolean {
  const family = addressFamily(address);
  if (addressFamily(cidr) !== family) return false;
  // Prefixes come from a few policies and rules and are asked about per flow: parse each once.
  let parsed = parsedCidrs.get(cidr);
  if (!parsed) {
    parsed = ipaddr.parseCIDR(cidr);
    if (parsedCidrs.size < 100_000) parsedCidrs.set(cidr, parsed);
  }
  const ip = family === 4 ? ipaddr.IPv4.parse(address) : ipaddr.IPv6.parse(address);
  return ip.match(parsed);
}
