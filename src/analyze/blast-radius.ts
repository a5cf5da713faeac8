import type { Policy, Workload } from '../domain/index.js';
import { InputError } from '../domain/index.js';
import { buildReachGraph } from './reach-graph.js';
import type { ReachGraph } from './reach-graph.js';
import type { ReachOptions } from './reach.js';
import { reachRules } from './reach.js';

/** One workload reached by lateral movement, and how. */
export interface ReachedWorkload {
  readonly workload: string;
  readonly hops: number;
  /** The workload it was reached from on the first shortest path. */
  readonly via: string;
  readonly rules: readonly string[];
}

/** What a compromised workload can reach under one policy. */
export interface BlastRadius {
  readonly workload: string;
  readonly reached: readonly ReachedWorkload[];
  /** Every other workload: what a flat network without policy lets it reach. */
  readonly total: number;
}

/**
 * Workloads a compromised workload reaches by lateral movement: from each reached
 * workload, on through every service the policy allows it to open, up to `hops`.
 * Networks are not stepping stones (Bulkhead does not control hosts outside).
 */
export function blastRadius(graph: ReachGraph, workload: string, hops = Infinity): BlastRadius {
  const start = graph.partyOf.get(workload);
  if (!start) {
    throw new InputError(
      `Cannot compute the blast radius of "${workload}": no workload has that name; list them with "bulkhead workloads"`,
    );
  }

  const reached = new Map<string, ReachedWorkload>();
  let frontier = [{ party: start, from: workload }];
  for (let hop = 1; hop <= hops && frontier.length > 0; hop++) {
    const next: typeof frontier = [];
    for (const { party, from } of frontier) {
      for (const reach of graph.out.get(party.key) ?? []) {
        const rules = reachRules(reach);
        let grew = false;
        for (const member of reach.to.members) {
          if (member === workload || reached.has(member)) continue;
          reached.set(member, { workload: member, hops: hop, via: from, rules });
          grew = true;
        }
        if (grew)
          next.push({
            party: reach.to,
            from: reach.to.members.find((m) => m !== workload) ?? from,
          });
      }
    }
    frontier = next;
  }
  const list = [...reached.values()].sort(
    (a, b) => a.hops - b.hops || a.workload.localeCompare(b.workload, 'en', { numeric: true }),
  );
  return { workload, reached: list, total: graph.workloads.length - 1 };
}

/** Blast radius under a policy, built from scratch (for one-off CLI calls). */
export function blastRadiusUnder(
  policy: Policy,
  workloads: readonly Workload[],
  workload: string,
  options: ReachOptions & { readonly hops?: number } = {},
): BlastRadius {
  return blastRadius(buildReachGraph(policy, workloads, options), workload, options.hops);
}
