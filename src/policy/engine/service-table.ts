import type { Decision } from '../../domain/index.js';

import type { CompiledRule } from './compiled-rule.js';
import { servicesHoldFor } from './compiled-services.js';
import { decideMatched } from './decide-matched.js';

/**
 * The decisions for every service between one source kind and one destination kind,
 * given the rules both sides select. Protocols the rules name get the port line cut at
 * every range boundary, with the decision of each interval; every other protocol gets
 * the decision of the rules that allow any service. A lookup is a scan of the few named
 * protocols and a binary search, and touches no rule.
 */
export class ServiceTable {
  /** The rules both sides select, in evaluation order; read only on the slow path. */
  readonly matched: Int32Array;
  readonly #other: Decision;
  readonly #protocols: Int32Array;
  /** Per named protocol: interval starts, or null when ICMP codes make it slow. */
  readonly #starts: readonly (Float64Array | null)[];
  readonly #decisions: readonly (readonly Decision[])[];

  constructor(rules: readonly CompiledRule[], matched: Int32Array) {
    this.matched = matched;
    this.#other = decideFor(rules, matched, -1, 0, undefined);

    const protocols = namedProtocols(rules, matched);
    const starts: (Float64Array | null)[] = [];
    const decisions: Decision[][] = [];
    for (const protocol of protocols) {
      const line = cutPortLine(rules, matched, protocol);
      starts.push(line?.starts ?? null);
      decisions.push(line?.decisions ?? []);
    }
    this.#protocols = Int32Array.from(protocols);
    this.#starts = starts;
    this.#decisions = decisions;
  }

  /**
   * The decision for a service, or null when it must be worked out rule by rule: an ICMP
   * protocol whose rules name codes, or a port that is not an integer (the intervals
   * assume integer ports).
   */
  lookup(protocol: number, port: number): Decision | null {
    const protocols = this.#protocols;
    let slot = 0;
    while (slot < protocols.length && protocols[slot] !== protocol) slot++;
    if (slot === protocols.length) return this.#other;

    const starts = this.#starts[slot]!;
    if (starts === null || (port | 0) !== port) return null;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= port) lo = mid;
      else hi = mid - 1;
    }
    return this.#decisions[slot]![lo]!;
  }
}

/** The decision among the matched rules whose services hold: the walk `evaluate` does. */
export function decideFor(
  rules: readonly CompiledRule[],
  matched: Int32Array,
  protocol: number,
  port: number,
  icmpCode: number | undefined,
): Decision {
  const holding = new Int32Array(matched.length);
  let count = 0;
  for (const rule of matched) {
    if (servicesHoldFor(rules[rule]!.services, protocol, port, icmpCode)) holding[count++] = rule;
  }
  return decideMatched(rules, holding, count);
}

function namedProtocols(rules: readonly CompiledRule[], matched: Int32Array): number[] {
  const protocols = new Set<number>();
  for (const rule of matched) {
    for (const entry of rules[rule]!.services.entries) protocols.add(entry.protocol);
  }
  return [...protocols].sort((a, b) => a - b);
}

/**
 * The port line of one protocol cut at every boundary the matched rules name, with the
 * decision of each interval (equal neighbours merged); null for ICMP when a rule names a
 * code, since the code is not on the line.
 */
function cutPortLine(
  rules: readonly CompiledRule[],
  matched: Int32Array,
  protocol: number,
): { starts: Float64Array; decisions: Decision[] } | null {
  const cuts = new Set<number>([-Infinity]);
  for (const rule of matched) {
    for (const entry of rules[rule]!.services.entries) {
      if (entry.protocol !== protocol) continue;
      if (entry.icmp && entry.icmpCode >= 0) return null;
      if (entry.icmp && entry.icmpType >= 0) cuts.add(entry.icmpType).add(entry.icmpType + 1);
      for (const range of entry.ports ?? []) cuts.add(range.first).add(range.last + 1);
    }
  }

  const starts: number[] = [];
  const decisions: Decision[] = [];
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // Integer ports in [cut, next cut) all meet the same ranges, so `cut` stands for them.
    const decision = decideFor(rules, matched, protocol, cut, undefined);
    if (decisions[decisions.length - 1] === decision) continue;
    starts.push(cut);
    decisions.push(decision);
  }
  return { starts: Float64Array.from(starts), decisions };
}
