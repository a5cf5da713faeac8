import { cidrContains, parseCidr } from '../domain/index.js';
import type { Address } from '../domain/index.js';

/**
 * Address space that is not the internet: private, shared, loopback, link-local,
 * benchmarking (198.18.0.0/15), documentation, multicast and unique-local ranges.
 */
export const INTERNAL_RANGES = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
].map(parseCidr);

/**
 * Whether an address is outside every internal range, i.e. on the internet as far as
 * Bulkhead can tell without an inventory of the user's public ranges.
 */
export function isOutside(address: Address): boolean {
  return !INTERNAL_RANGES.some((cidr) => cidrContains(cidr, address));
}
