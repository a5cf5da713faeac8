import type { Decision, Endpoint } from '../../domain/index.js';

import type { CompiledRule } from './compiled-rule.js';
import { PairMap } from './pair-map.js';
import { createSelectionIndex, selectingRules } from './selection-index.js';
import type { SelectionIndex } from './selection-index.js';
import { decideFor, ServiceTable } from './service-table.js';

/**
 * A prepared endpoint: a small integer that stands for every endpoint the policy's rule
 * sides treat alike. Only meaningful to the decider that prepared it.
 */
export type EndpointId = number & { readonly __brand: 'EndpointId' };

/** The replay half of a decider: endpoints resolved once, decisions from tables. */
export interface EndpointTable {
  readonly prepare: (endpoint: Endpoint) => EndpointId;
  readonly decideIds: (
    from: EndpointId,
    to: EndpointId,
    protocol: number,
    port: number,
    icmpCode?: number,
  ) => Decision;
}

/**
 * Interns a list of rule indexes: equal lists get the same small id, so endpoints that
 * the same rule sides select share one kind.
 */
class Interner {
  readonly lists: Int32Array[] = [];
  readonly #ids = new Map<string, number>();

  intern(list: Int32Array): number {
    const key = list.join(',');
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.lists.length;
      this.lists.push(list);
      this.#ids.set(key, id);
    }
    return id;
  }
}

/**
 * Creates the replay half of a decider. `prepare` finds the rules whose `from` side and
 * whose `to` side select an endpoint (through selection indexes, once per endpoint) and
 * names the pair of lists by an id; `decideIds` looks the pair of ids up in a hash of
 * flat arrays and reads the service table of the rules both sides select, built on first
 * use and shared by every pair with the same rules. Memory grows with the distinct kinds
 * and pairs asked about, not with the number of decisions.
 */
export function createEndpointTable(rules: readonly CompiledRule[]): EndpointTable {
  const fromIndex: SelectionIndex = createSelectionIndex(rules, 'from');
  const toIndex: SelectionIndex = createSelectionIndex(rules, 'to');
  const sources = new Interner();
  const destinations = new Interner();
  const endpoints = new Map<string, EndpointId>();
  const sourceOf: number[] = [];
  const destinationOf: number[] = [];

  const prepare = (endpoint: Endpoint): EndpointId => {
    const source = sources.intern(selectingRules(fromIndex, endpoint));
    const destination = destinations.intern(selectingRules(toIndex, endpoint));
    const key = `${source}:${destination}`;
    let id = endpoints.get(key);
    if (id === undefined) {
      id = sourceOf.length as EndpointId;
      sourceOf.push(source);
      destinationOf.push(destination);
      endpoints.set(key, id);
    }
    return id;
  };

  const pairs = new PairMap();
  const tables: ServiceTable[] = [];
  const tableIds = new Map<string, number>();
  const tableOf = (from: number, to: number): ServiceTable => {
    if (!(from in sourceOf) || !(to in sourceOf)) {
      throw new RangeError(
        `Cannot decide between endpoint ids ${from} and ${to}: this decider prepared ids 0 to ${sourceOf.length - 1}; prepare endpoints with the same decider`,
      );
    }
    const matched = intersect(
      sources.lists[sourceOf[from]!]!,
      destinations.lists[destinationOf[to]!]!,
    );
    const key = matched.join(',');
    let id = tableIds.get(key);
    if (id === undefined) {
      id = tables.length;
      tables.push(new ServiceTable(rules, matched));
      tableIds.set(key, id);
    }
    pairs.add(from, to, id);
    return tables[id]!;
  };

  const decideIds = (
    from: EndpointId,
    to: EndpointId,
    protocol: number,
    port: number,
    icmpCode?: number,
  ): Decision => {
    const id = pairs.get(from, to);
    const table = id < 0 ? tableOf(from, to) : tables[id]!;
    return (
      table.lookup(protocol, port) ?? decideFor(rules, table.matched, protocol, port, icmpCode)
    );
  };
  return { prepare, decideIds };
}

/** The indexes in both sorted lists, sorted. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) out.push(x);
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return Int32Array.from(out);
}
