import type { Endpoint, FlowQuestion } from '../../domain/index.js';

import type { AddressKey, KeyRange } from './address-key.js';
import { isBroadSide } from './compiled-selector.js';
import type { CompiledTerm } from './compiled-selector.js';
import type { CompiledRule } from './compiled-rule.js';
import { IntervalIndex } from './interval-index.js';
import { createServiceBucket, inlineServices, scanServiceBucket } from './service-bucket.js';
import type { BucketEntry, ServiceBucket } from './service-bucket.js';

/**
 * A rule filed under one term of the side it is indexed by. `term` is what is left to
 * check on that side: the label term (its other keys and `not`), or null when the lookup
 * itself proved the term (a workload name, an address interval).
 */
export interface IndexedEntry extends BucketEntry {
  readonly term: CompiledTerm | null;
}

type Bucket = ServiceBucket<IndexedEntry>;

/** The rules filed under one side, by label key and value, by name and by address. */
export interface SideIndex {
  /** The keys label terms are filed under, each with its values. */
  readonly labels: readonly {
    readonly key: string;
    readonly values: ReadonlyMap<string, Bucket>;
  }[];
  readonly names: ReadonlyMap<string, Bucket>;
  readonly v4: IntervalIndex<number, Bucket> | undefined;
  readonly v6: IntervalIndex<bigint, Bucket> | undefined;
}

/**
 * Files the rules indexed by `side`: a destination that names labels, workloads or
 * addresses is filed by destination; a rule whose destination is broad but whose source
 * is not is filed by source.
 */
export function createSideIndex(rules: readonly CompiledRule[], side: 'from' | 'to'): SideIndex {
  const filed = rules.filter((rule) =>
    side === 'to' ? !isBroadSide(rule.to) : isBroadSide(rule.to) && !isBroadSide(rule.from),
  );
  const termsOf = (rule: CompiledRule): readonly CompiledTerm[] => rule[side];
  const keyRank = rankKeys(filed.flatMap(termsOf));

  const labels = new Map<string, Map<string, IndexedEntry[]>>();
  const names = new Map<string, IndexedEntry[]>();
  const v4: { ranges: readonly KeyRange<number>[]; value: IndexedEntry }[] = [];
  const v6: { ranges: readonly KeyRange<bigint>[]; value: IndexedEntry }[] = [];
  for (const rule of filed) {
    for (const term of termsOf(rule)) {
      const entry = (check: CompiledTerm | null): IndexedEntry => ({
        rule: rule.index,
        services: rule.services,
        ...inlineServices(rule.services),
        term: check,
      });
      if (term.kind === 'labels') {
        const key = pickKey(term.match.keys, keyRank);
        const values = term.match.values[term.match.keys.indexOf(key)] ?? new Set<string>();
        const byValue = labels.get(key) ?? new Map<string, IndexedEntry[]>();
        labels.set(key, byValue);
        for (const value of values) append(byValue, value, entry(term));
      } else if (term.kind === 'name') {
        append(names, term.name, entry(null));
      } else if (term.kind === 'address') {
        if (term.v4.length > 0) v4.push({ ranges: term.v4, value: entry(null) });
        if (term.v6.length > 0) v6.push({ ranges: term.v6, value: entry(null) });
      }
    }
  }

  return {
    labels: [...labels].map(([key, values]) => ({ key, values: bucketsOf(values) })),
    names: bucketsOf(names),
    v4: v4.length === 0 ? undefined : IntervalIndex.build(v4, createServiceBucket),
    v6: v6.length === 0 ? undefined : IntervalIndex.build(v6, createServiceBucket),
  };
}

/** Label keys by how many distinct values terms give them: more values, smaller buckets. */
function rankKeys(terms: readonly CompiledTerm[]): Map<string, number> {
  const values = new Map<string, Set<string>>();
  for (const term of terms) {
    if (term.kind !== 'labels') continue;
    term.match.keys.forEach((key, index) => {
      const set = values.get(key) ?? new Set<string>();
      for (const value of term.match.values[index] ?? []) set.add(value);
      values.set(key, set);
    });
  }
  return new Map([...values].map(([key, set]) => [key, set.size]));
}

function pickKey(keys: readonly string[], rank: ReadonlyMap<string, number>): string {
  let best = keys[0]!;
  for (const key of keys) {
    const better = (rank.get(key) ?? 0) - (rank.get(best) ?? 0);
    if (better > 0 || (better === 0 && key < best)) best = key;
  }
  return best;
}

function append<E>(map: Map<string, E[]>, key: string, value: E): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function bucketsOf(map: ReadonlyMap<string, readonly IndexedEntry[]>): Map<string, Bucket> {
  return new Map([...map].map(([key, entries]) => [key, createServiceBucket(entries)]));
}

/** Visits the entries filed under the endpoint's labels, name and address for the question. */
export function scanSideIndex(
  index: SideIndex,
  endpoint: Endpoint,
  address: AddressKey | undefined,
  question: FlowQuestion,
  visit: (entry: IndexedEntry) => void,
): void {
  const { protocol, port } = question;
  const labels = endpoint.labels;
  if (labels !== undefined) {
    for (let slot = 0; slot < index.labels.length; slot++) {
      const filed = index.labels[slot]!;
      const value = labels[filed.key];
      if (value === undefined) continue;
      const bucket = filed.values.get(value);
      if (bucket !== undefined) scanServiceBucket(bucket, protocol, port, visit);
    }
  }

  if (endpoint.name !== undefined) {
    const bucket = index.names.get(endpoint.name);
    if (bucket !== undefined) scanServiceBucket(bucket, protocol, port, visit);
  }

  if (address === undefined) return;
  const bucket =
    address.family === 4 ? index.v4?.lookup(address.key) : index.v6?.lookup(address.key);
  if (bucket !== undefined) scanServiceBucket(bucket, protocol, port, visit);
}
