import type { PortRange } from '../../domain/index.js';

import type { CompiledServices } from './compiled-services.js';
import { IntervalIndex } from './interval-index.js';

/** A rule as a bucket holds it: the rule's index and what is left to check. */
export interface BucketEntry {
  readonly rule: number;
  readonly services: CompiledServices;
  /**
   * The rule's services inlined when they are one protocol with one port range (most
   * rules): the protocol, else -1 for every service and -2 for anything else. Checking
   * these fields saves following four pointers into the rule per candidate, which at
   * 10 000 rules are cache misses.
   */
  readonly protocol: number;
  readonly first: number;
  readonly last: number;
}

/** The inlined service fields of an entry for a rule's services. */
export function inlineServices(
  services: CompiledServices,
): Pick<BucketEntry, 'protocol' | 'first' | 'last'> {
  if (services.all) return { protocol: -1, first: 0, last: 0 };
  const only = services.entries.length === 1 ? services.entries[0] : undefined;
  const range = only?.ports?.length === 1 ? only.ports[0] : undefined;
  if (only === undefined || range === undefined) return { protocol: -2, first: 0, last: 0 };
  return { protocol: only.protocol, first: range.first, last: range.last };
}

/**
 * The candidates of one index key (a label value, a workload name, an address interval),
 * split by protocol and port when there are many, so a destination that hundreds of rules
 * name on different ports still yields only the rules of the question's port.
 */
export type ServiceBucket<E extends BucketEntry> =
  | { readonly kind: 'list'; readonly entries: readonly E[] }
  | {
      readonly kind: 'ports';
      /** Entries that match every protocol. */
      readonly everything: readonly E[];
      readonly protocols: ReadonlyMap<number, ProtocolBucket<E>>;
    };

interface ProtocolBucket<E> {
  /** Entries that match every port of the protocol, and ICMP entries (few types each). */
  readonly whole: readonly E[];
  readonly ports: IntervalIndex<number, readonly E[]> | undefined;
}

/** Below this many entries a plain list is scanned faster than the port index is searched. */
const LIST_LIMIT = 8;

const NONE: readonly never[] = [];

/** Builds the bucket for a set of entries. */
export function createServiceBucket<E extends BucketEntry>(
  entries: readonly E[],
): ServiceBucket<E> {
  if (entries.length <= LIST_LIMIT) return { kind: 'list', entries };

  const everything: E[] = [];
  const whole = new Map<number, E[]>();
  const ranged = new Map<number, { ranges: PortRange[]; value: E }[]>();
  for (const entry of entries) {
    if (entry.services.all) {
      everything.push(entry);
      continue;
    }
    for (const service of entry.services.entries) {
      if (service.ports === null) push(whole, service.protocol, entry);
      else {
        const list = ranged.get(service.protocol) ?? [];
        list.push({ ranges: [...service.ports], value: entry });
        ranged.set(service.protocol, list);
      }
    }
  }

  const protocols = new Map<number, ProtocolBucket<E>>();
  for (const protocol of new Set([...whole.keys(), ...ranged.keys()])) {
    const items = (ranged.get(protocol) ?? []).map((item) => ({
      ranges: item.ranges.map((range) => ({ lo: range.first, hi: range.last })),
      value: item.value,
    }));
    const ports =
      items.length === 0
        ? undefined
        : IntervalIndex.build<number, E, readonly E[]>(items, (covering) => covering);
    protocols.set(protocol, { whole: whole.get(protocol) ?? NONE, ports });
  }
  return { kind: 'ports', everything, protocols };
}

function push<E>(map: Map<number, E[]>, key: number, value: E): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/** Calls `visit` for each entry of the bucket that may match the protocol and port. */
export function scanServiceBucket<E extends BucketEntry>(
  bucket: ServiceBucket<E>,
  protocol: number,
  port: number,
  visit: (entry: E) => void,
): void {
  if (bucket.kind === 'list') {
    const entries = bucket.entries;
    for (let index = 0; index < entries.length; index++) visit(entries[index]!);
    return;
  }

  const everything = bucket.everything;
  for (let index = 0; index < everything.length; index++) visit(everything[index]!);
  const forProtocol = bucket.protocols.get(protocol);
  if (forProtocol === undefined) return;
  const whole = forProtocol.whole;
  for (let index = 0; index < whole.length; index++) visit(whole[index]!);
  const ranged = forProtocol.ports?.lookup(port);
  if (ranged === undefined) return;
  for (let index = 0; index < ranged.length; index++) visit(ranged[index]!);
}
