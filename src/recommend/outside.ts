import { cidrContains, parseCidr } from '../domain/index.js';
import type { Address, Cidr, Workload } from '../domain/index.js';

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
 * Bulkhead can tell: outside the private and special ranges and outside the ranges the
 * workspace declares internal (`bulkhead init --internal`, for estates on public space).
 */
export function isOutside(address: Address, internal: readonly Cidr[] = []): boolean {
  if (INTERNAL_RANGES.some((cidr) => cidrContains(cidr, address))) return false;
  return !internal.some((cidr) => cidrContains(cidr, address));
}

/**
 * Whether a workload stands for the outside world rather than for something the user
 * runs: only seen in flows, never labelled, and every address outside.
 */
export function isOutsideWorkload(workload: Workload, internal: readonly Cidr[] = []): boolean {
  if (!workload.discovered || Object.keys(workload.labels).length > 0) return false;
  return workload.addresses.length > 0 && workload.addresses.every((a) => isOutside(a, internal));
}
