import type { KeyRange } from './address-key.js';

/** One item to index: the disjoint ranges it covers, and what to return for a key in them. */
export interface IntervalItem<K extends number | bigint, T> {
  readonly ranges: readonly KeyRange<K>[];
  readonly value: T;
}

/**
 * Items over a line of keys (addresses or ports), cut into elementary intervals at every
 * range boundary. Each interval keeps what `collect` made of the items covering all of it,
 * so a lookup is one binary search whatever the number of items, and returns exactly the
 * items whose ranges hold the key: no candidate needs checking afterwards.
 */
export class IntervalIndex<K extends number | bigint, V> {
  readonly #starts: readonly K[];
  readonly #values: readonly (V | undefined)[];

  private constructor(starts: readonly K[], values: readonly (V | undefined)[]) {
    this.#starts = starts;
    this.#values = values;
  }

  /**
   * Cuts the line at every range boundary of the items and keeps, per interval, what
   * `collect` makes of the items covering it (undefined where none does).
   */
  static build<K extends number | bigint, T, V>(
    items: readonly IntervalItem<K, T>[],
    collect: (covering: T[]) => V,
  ): IntervalIndex<K, V> {
    const events = new Map<K, { add: T[]; remove: T[] }>();
    const at = (key: K): { add: T[]; remove: T[] } => {
      let event = events.get(key);
      if (event === undefined) {
        event = { add: [], remove: [] };
        events.set(key, event);
      }
      return event;
    };
    for (const item of items) {
      for (const range of item.ranges) {
        at(range.lo).add.push(item.value);
        at(successor(range.hi)).remove.push(item.value);
      }
    }

    const keys = [...events.keys()].sort(compareKeys);
    const active = new Map<T, number>();
    const values: (V | undefined)[] = [];
    for (const key of keys) {
      const event = events.get(key)!;
      for (const value of event.remove) bump(active, value, -1);
      for (const value of event.add) bump(active, value, 1);
      values.push(active.size === 0 ? undefined : collect([...active.keys()]));
    }
    return new IntervalIndex(keys, values);
  }

  /** What was collected for the interval holding the key, or undefined when none covers it. */
  lookup(key: K): V | undefined {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    if (high < 0 || key < starts[0]!) return undefined;

    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle]! <= key) low = middle;
      else high = middle - 1;
    }
    return this.#values[low];
  }

  /** How many elementary intervals the line was cut into. */
  get size(): number {
    return this.#starts.length;
  }
}

/** The next key on the line (the end of the IPv6 line yields 2^128, a key no address has). */
export function successor<K extends number | bigint>(key: K): K {
  const value: number | bigint = key;
  return (typeof value === 'bigint' ? value + 1n : value + 1) as K;
}

function predecessor<K extends number | bigint>(key: K): K {
  const value: number | bigint = key;
  return (typeof value === 'bigint' ? value - 1n : value - 1) as K;
}

/** Orders keys of one family. */
export function compareKeys<K extends number | bigint>(a: K, b: K): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bump<T>(counts: Map<T, number>, value: T, by: number): void {
  const next = (counts.get(value) ?? 0) + by;
  if (next <= 0) counts.delete(value);
  else counts.set(value, next);
}

/**
 * Merges ranges into disjoint sorted ones, then removes the `minus` ranges: a network's
 * prefixes less its exceptions.
 */
export function subtractRanges<K extends number | bigint>(
  ranges: readonly KeyRange<K>[],
  minus: readonly KeyRange<K>[],
): KeyRange<K>[] {
  const merged = mergeRanges(ranges);
  const cuts = mergeRanges(minus);
  const out: KeyRange<K>[] = [];
  for (const range of merged) {
    let lo = range.lo;
    for (const cut of cuts) {
      if (cut.hi < lo || cut.lo > range.hi) continue;
      if (cut.lo > lo) out.push({ lo, hi: predecessor(cut.lo) });
      lo = successor(cut.hi);
      if (lo > range.hi) break;
    }
    if (lo <= range.hi) out.push({ lo, hi: range.hi });
  }
  return out;
}

/** Sorts ranges and joins the ones that overlap or touch. */
export function mergeRanges<K extends number | bigint>(
  ranges: readonly KeyRange<K>[],
): KeyRange<K>[] {
  const sorted = [...ranges].sort((a, b) => compareKeys(a.lo, b.lo));
  const out: { lo: K; hi: K }[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && range.lo <= successor(last.hi)) {
      if (range.hi > last.hi) last.hi = range.hi;
    } else {
      out.push({ lo: range.lo, hi: range.hi });
    }
  }
  return out;
}

/** Whether a key lies in one of disjoint sorted ranges (binary search). */
export function rangesHold<K extends number | bigint>(
  ranges: readonly KeyRange<K>[],
  key: K,
): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle]!;
    if (key < range.lo) high = middle - 1;
    else if (key > range.hi) low = middle + 1;
    else return true;
  }
  return false;
}
