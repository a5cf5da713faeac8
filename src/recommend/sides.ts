import { cidrContains } from '../domain/index.js';
import type { Address, Cidr, Workload } from '../domain/index.js';
import { INTERNAL_RANGES, isOutside, isOutsideWorkload } from './outside.js';

/** A side of a recommended rule as it is written in the policy file. */
export type SideText = string | Readonly<Record<string, string>>;

/** A network the recommendation defines for addresses that are not known workloads. */
export interface NetworkDefinition {
  readonly name: string;
  readonly cidrs: readonly string[];
  readonly except: readonly string[];
}

/** One side of a rule: a label group, a workload or a network. */
export interface Side {
  readonly key: string;
  readonly text: SideText;
  readonly slug: string;
  /** How many workloads (or networks, counted as one) the side selects, for tightness. */
  readonly members: number;
  readonly network?: NetworkDefinition;
}

/** The internet: everything outside the private ranges and the declared internal ones. */
export function internetNetwork(internal: readonly Cidr[] = []): NetworkDefinition {
  return {
    name: 'internet',
    cidrs: ['0.0.0.0/0', '::/0'],
    except: [...INTERNAL_RANGES, ...internal].map(String),
  };
}

/** Resolves map node names to rule sides. */
export interface SideResolver {
  sideOf(node: string): Side;
}

/**
 * Builds the resolver. Outside addresses become the `internet` network. When the estate
 * has an inventory (or declared internal ranges), discovered, unlabelled IPv4 addresses in
 * private space outside the declared ranges are unknown internal hosts: they are grouped
 * into one network per /24 (`unknown-10-1-2-0-24`), minus the known workloads' addresses
 * in it, instead of one rule per address.
 */
export function createSideResolver(
  workloads: readonly Workload[],
  by: readonly string[],
  internal: readonly Cidr[] = [],
): SideResolver {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const groupUnknown = internal.length > 0 || workloads.some((w) => !w.discovered);
  const isUnknown = (w: Workload): boolean =>
    groupUnknown &&
    w.discovered &&
    Object.keys(w.labels).length === 0 &&
    w.addresses.length === 1 &&
    prefix24(w.addresses[0]!) !== undefined &&
    !internal.some((c) => cidrContains(c, w.addresses[0]!));

  const groupSizes = new Map<string, number>();
  const known24 = new Map<string, string[]>();
  for (const w of workloads) {
    if (isOutsideWorkload(w, internal) || isUnknown(w)) continue;
    const text = groupText(w, by);
    if (text !== undefined) groupSizes.set(text, (groupSizes.get(text) ?? 0) + 1);
    for (const a of w.addresses) {
      const p = prefix24(a);
      if (p) {
        const list = known24.get(p);
        if (list) list.push(`${a}/32`);
        else known24.set(p, [`${a}/32`]);
      }
    }
  }

  const cache = new Map<string, Side>();
  const resolve = (node: string): Side => {
    const w = byName.get(node);
    const outside = w ? isOutsideWorkload(w, internal) : isOutside(node as Address, internal);
    if (outside) return networkSide(internetNetwork(internal));
    if (w && isUnknown(w)) {
      const p = prefix24(w.addresses[0]!)!;
      const name = `unknown-${slug(p)}`;
      return networkSide({ name, cidrs: [p], except: (known24.get(p) ?? []).sort() });
    }
    const text = w ? groupText(w, by) : undefined;
    if (w && text !== undefined) {
      const labels = Object.fromEntries(by.map((k) => [k, w.labels[k]!]));
      const s = slug(by.map((k) => labels[k]).join('-'));
      return { key: `labels:${text}`, text: labels, slug: s, members: groupSizes.get(text) ?? 1 };
    }
    return { key: `workload:${node}`, text: `workload:${node}`, slug: slug(node), members: 1 };
  };
  return {
    sideOf(node: string): Side {
      let side = cache.get(node);
      if (!side) cache.set(node, (side = resolve(node)));
      return side;
    },
  };
}

function groupText(w: Workload, by: readonly string[]): string | undefined {
  if (by.length === 0 || !by.every((k) => w.labels[k] !== undefined)) return undefined;
  return by.map((k) => `${k}=${w.labels[k]}`).join(',');
}

function networkSide(network: NetworkDefinition): Side {
  return {
    key: `net:${network.name}`,
    text: `network:${network.name}`,
    slug: network.name,
    members: 1,
    network,
  };
}

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** The /24 holding a private IPv4 address, e.g. `10.1.2.0/24`; undefined otherwise. */
function prefix24(address: Address): string | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  const inPrivate = INTERNAL_RANGES.some(
    (c) => PRIVATE_V4.includes(String(c)) && cidrContains(c, address),
  );
  return inPrivate ? `${parts.slice(0, 3).join('.')}.0/24` : undefined;
}

/** A text as an id fragment: lower case, runs of other characters as one dash. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
