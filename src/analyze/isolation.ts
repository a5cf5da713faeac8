import type { Segment } from '../domain/index.js';
import type { ReachGraph } from './reach-graph.js';
import { partyName } from './reach-graph.js';
import type { Reach } from './reach.js';

/** A flow that crosses an isolated segment's boundary through a rule not excepted. */
export interface IsolationCounterexample {
  readonly source: string;
  readonly destination: string;
  readonly service: string;
  /** The rule that lets it through (not one of the segment's exceptions). */
  readonly rule: string;
  readonly direction: 'into' | 'out of';
}

/** Whether an isolated segment holds, with a counterexample when it does not. */
export interface IsolationResult {
  readonly segment: string;
  readonly holds: boolean;
  readonly counterexamples: readonly IsolationCounterexample[];
}

/**
 * Proves or refutes each isolated segment: no flow may cross its boundary, either way,
 * unless the deciding rule is one of the segment's exceptions. The proof is exact over
 * the parties (workloads and networks) and the service space the rules name.
 */
export function checkIsolation(graph: ReachGraph, limit = 5): IsolationResult[] {
  const results: IsolationResult[] = [];
  for (const segment of graph.policy.segments.values()) {
    if (!segment.isolated) continue;
    const found: IsolationCounterexample[] = [];
    for (const party of graph.parties) {
      for (const reach of graph.out.get(party.key) ?? []) {
        const fromInside = reach.from.segments.includes(segment.name);
        const toInside = reach.to.segments.includes(segment.name);
        if (fromInside === toInside) continue;
        found.push(...crossings(reach, segment, toInside ? 'into' : 'out of'));
      }
    }
    results.push({
      segment: segment.name,
      holds: found.length === 0,
      counterexamples: found.slice(0, limit),
    });
  }
  return results;
}

function crossings(
  reach: Reach,
  segment: Segment,
  direction: 'into' | 'out of',
): IsolationCounterexample[] {
  return reach.grants
    .filter((grant) => !segment.exceptions.includes(grant.rule))
    .map((grant) => ({
      source: partyName(reach.from),
      destination: partyName(reach.to),
      service: grant.service,
      rule: grant.rule,
      direction,
    }));
}
